namespace PredictiveCaching.Replay.Reporting;

/// <summary>What one policy did over one trace (figures relative to other policies are in <see cref="ComparisonRow"/>).</summary>
public sealed record PolicyResult
{
    public required string Policy { get; init; }

    public long Requests { get; init; }

    public long Reads { get; init; }

    public long Hits { get; init; }

    public long Misses { get; init; }

    /// <summary>Gets the misses on a key's first request: no policy can avoid them without guessing keys.</summary>
    public long CompulsoryMisses { get; init; }

    public long Writes { get; init; }

    public long Deletes { get; init; }

    /// <summary>Gets the copies written by prefetches (as the inner cache saw them).</summary>
    public long Prefetches { get; init; }

    public long PrefetchesUsed { get; init; }

    public long PrefetchesWasted { get; init; }

    public long WastedBytes { get; init; }

    /// <summary>Gets every load from the origin: the application's misses plus prefetches.</summary>
    public long OriginLoads { get; init; }

    public long Evictions { get; init; }

    /// <summary>Gets the library's own precision (used / (used + wasted), settled outcomes), for library policies.</summary>
    public double? LibraryPrecision { get; init; }

    public long? LibraryPrefetchesCompleted { get; init; }

    public double MeanLatencyMs { get; init; }

    public double P99LatencyMs { get; init; }

    public double ElapsedSeconds { get; init; }

    public required HitSeries Series { get; init; }

    public double HitRatio => Reads == 0 ? double.NaN : Hits / (double)Reads;

    public double RequestsPerSecond => ElapsedSeconds <= 0 ? double.NaN : Requests / ElapsedSeconds;

    /// <summary>Gets used / prefetched, by the inner cache's ledger (an unread copy left at the end counts as wasted).</summary>
    public double Precision => Prefetches == 0 ? double.NaN : PrefetchesUsed / (double)Prefetches;
}
