namespace PredictiveCaching.Redis.Tests.Infrastructure;

/// <summary>
/// The Redis the tests share: the one the build script started (<c>PREDICTIVE_CACHING_REDIS</c>), else one started here
/// on a free port and stopped by its pid when the test process ends. Without either, the tests report themselves
/// skipped with the reason; with <c>CI=true</c> they fail instead.
/// </summary>
internal static class RedisTestServer
{
    private static readonly Lazy<Task<string>> s_endpoint = new(StartAsync);
    private static RedisServerProcess? s_owned;

    /// <summary>Gets why the Redis tests cannot run here, or null when they can (or must, in CI).</summary>
    public static string? SkipReason { get; } = ComputeSkipReason();

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Gets the endpoint (host:port) of the shared Redis, starting one when needed.</summary>
    public static Task<string> GetEndpointAsync() => s_endpoint.Value;

    private static string? ComputeSkipReason()
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("PREDICTIVE_CACHING_REDIS")) || RedisServerProcess.FindBinary() is not null)
        {
            return null;
        }

        return IsCi
            ? null
            : "Redis is unavailable: PREDICTIVE_CACHING_REDIS is not set and no redis-server binary was found (set PREDICTIVE_CACHING_REDIS_SERVER or put redis-server on PATH, or run ./build.sh test)";
    }

    private static async Task<string> StartAsync()
    {
        if (Environment.GetEnvironmentVariable("PREDICTIVE_CACHING_REDIS") is { Length: > 0 } configured)
        {
            return configured;
        }

        string binary = RedisServerProcess.FindBinary()
            ?? throw new InvalidOperationException("CI=true but Redis is unavailable: PREDICTIVE_CACHING_REDIS is not set and no redis-server binary was found.");
        s_owned = await RedisServerProcess.StartAsync(binary).ConfigureAwait(false);
        AppDomain.CurrentDomain.ProcessExit += static (_, _) => s_owned?.Dispose();
        return s_owned.Endpoint;
    }
}
