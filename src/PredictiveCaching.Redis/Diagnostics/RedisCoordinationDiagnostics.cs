namespace PredictiveCaching.Redis.Diagnostics;

/// <summary>Names of the Redis package's diagnostics.</summary>
public static class RedisCoordinationDiagnostics
{
    /// <summary>The name of the <see cref="System.Diagnostics.Metrics.Meter"/> of Redis coordination.</summary>
    public const string MeterName = "PredictiveCaching.Redis";
}
