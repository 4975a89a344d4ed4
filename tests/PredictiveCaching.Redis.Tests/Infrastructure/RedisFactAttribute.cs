namespace PredictiveCaching.Redis.Tests.Infrastructure;

/// <summary>A fact that needs Redis: skipped with a visible reason at discovery when none can be had (never in CI).</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RedisFactAttribute : FactAttribute
{
    public RedisFactAttribute()
    {
        if (RedisTestServer.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
