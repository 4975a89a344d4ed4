namespace PredictiveCaching.Replay;

/// <summary>The knobs of a replay; every policy of a run shares them.</summary>
public sealed class ReplaySettings
{
    /// <summary>Gets or sets the TTL of values the trace gives none for (and of all values with <see cref="IgnoreTraceTtl"/>).</summary>
    public TimeSpan DefaultTtl { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>
    /// Gets or sets a value indicating whether the trace's own TTLs are replaced by <see cref="DefaultTtl"/>. The Meta CDN
    /// sample keeps objects 14 days, so within its 258 s nothing but first reads can miss; a shorter TTL makes it a test
    /// of refreshing rather than of cold starts.
    /// </summary>
    public bool IgnoreTraceTtl { get; set; }

    /// <summary>Gets or sets the most entries the inner cache keeps (LRU); 0 for no bound.</summary>
    public int CacheCapacity { get; set; }

    /// <summary>Gets or sets the most bytes the inner cache keeps (LRU), by the trace's sizes; 0 for no bound.</summary>
    public long CacheCapacityBytes { get; set; }

    /// <summary>Gets or sets the simulated origin latency of a miss, in milliseconds (latency figures only).</summary>
    public double OriginLatencyMs { get; set; } = 50;

    /// <summary>Gets or sets the simulated latency of a hit, in milliseconds (latency figures only).</summary>
    public double HitLatencyMs { get; set; } = 1;

    /// <summary>Gets or sets the virtual time between prefetch cycles (the library's <c>Prefetch.CycleInterval</c>).</summary>
    public TimeSpan CycleInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Gets or sets the most cycles run across one idle gap of the trace. Cycles in a gap with no reads can only
    /// prefetch for the reads after it, which the last cycles before the gap's end see just as well; skipping the
    /// rest keeps multi-hour gaps from costing thousands of empty cycles.
    /// </summary>
    public int MaxCyclesPerGap { get; set; } = 3;

    /// <summary>Gets or sets how many cycle intervals long a gap must be before cycles are skipped.</summary>
    public int GapCycles { get; set; } = 600;

    /// <summary>Gets or sets the fraction of a TTL after which a hit triggers refresh-ahead's background reload.</summary>
    public double RefreshAheadFraction { get; set; } = 0.9;

    /// <summary>Gets or sets the oracle's lookahead window.</summary>
    public TimeSpan OracleLookahead { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>Gets or sets the successor share (and sequence continuation rate) the successor policy needs to prefetch.</summary>
    public double SuccessorThreshold { get; set; } = 0.7;

    /// <summary>
    /// Gets or sets the virtual time between trainings of <c>predictive-learned</c> after its first (which runs once
    /// enough samples are labelled). Shorter than the library's 1-hour default so that a 2-hour trace sees several.
    /// </summary>
    public TimeSpan RetrainInterval { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>Gets or sets the library's <c>Prefetch.MaxConcurrency</c> (0: the library's default, 4): the most loads one cycle starts.</summary>
    public int MaxConcurrency { get; set; }

    /// <summary>Gets or sets every strategy's <c>PrefetchBudgetBytes</c> (0: each strategy's default).</summary>
    public long BudgetBytes { get; set; }

    /// <summary>Gets or sets the most requests replayed (0: all).</summary>
    public long MaxRequests { get; set; }

    /// <summary>Gets or sets the width of one point of the hit-ratio-over-time series, in trace seconds (0: automatic).</summary>
    public double BucketSeconds { get; set; }
}
