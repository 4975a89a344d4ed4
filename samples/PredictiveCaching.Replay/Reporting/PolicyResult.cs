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

    /// <summary>Gets the origin loads made for prefetches (written or not: a superseded load still cost the origin).</summary>
    public long PrefetchLoads { get; init; }

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

    /// <summary>
    /// Gets used / prefetched by the inner cache's ledger, the same for every policy: a prefetched copy is used only when
    /// a read is served by it within its life (before it expires, is evicted, overwritten or removed); one unread when
    /// it goes, or still unread at the end of the trace, is wasted.
    /// </summary>
    public double Precision => Prefetches == 0 ? double.NaN : PrefetchesUsed / (double)Prefetches;
}
