namespace PredictiveCaching.Redis.Tests.Infrastructure;

/// <summary>
/// A fact that starts, kills and restarts a redis-server of its own: skipped with a visible reason at discovery when no
/// redis-server binary can be found, unless <c>CI=true</c> (then it fails).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RedisServerFactAttribute : FactAttribute
{
    public RedisServerFactAttribute()
    {
        if (RedisServerProcess.FindBinary() is null && !RedisTestServer.IsCi)
        {
            Skip = "No redis-server binary: set PREDICTIVE_CACHING_REDIS_SERVER or put redis-server on PATH (./build.sh test installs one)";
        }
    }
}
