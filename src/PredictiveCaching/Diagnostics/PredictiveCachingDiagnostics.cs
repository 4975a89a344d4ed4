namespace PredictiveCaching.Diagnostics;

/// <summary>Names under which PredictiveCaching publishes metrics and traces.</summary>
public static class PredictiveCachingDiagnostics
{
    /// <summary>The name of the <see cref="System.Diagnostics.Metrics.Meter"/> of the core package.</summary>
    public const string MeterName = "PredictiveCaching";

    /// <summary>The name of the <see cref="System.Diagnostics.ActivitySource"/> for prefetch cycles, warming and source loads.</summary>
    public const string ActivitySourceName = "PredictiveCaching";
}
