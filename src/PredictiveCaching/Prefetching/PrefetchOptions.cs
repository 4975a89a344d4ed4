using PredictiveCaching.Validation;

namespace PredictiveCaching.Prefetching;

/// <summary>How prefetch cycles run and how loads from the origin are bounded.</summary>
public sealed class PrefetchOptions
{
    /// <summary>Gets or sets a value indicating whether the background prefetch loop runs.</summary>
    /// <value>Default <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Gets or sets which mechanisms propose keys (in configuration a comma-separated list, e.g. <c>"Expiry, CoAccess"</c>),
    /// to measure one alone or to leave out one that does not pay on a workload.
    /// </summary>
    /// <value>Default <see cref="PrefetchMechanisms.All"/>.</value>
    public PrefetchMechanisms Mechanisms { get; set; } = PrefetchMechanisms.All;

    /// <summary>Gets or sets the time between prefetch cycles.</summary>
    /// <value>Default 1 second.</value>
    [DurationRange("00:00:00.01", "00:10:00")]
    public TimeSpan CycleInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets how many loads from origins may run at once.</summary>
    /// <value>Default 4.</value>
    [OptionRange(1, 1024)]
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>
    /// Gets or sets how many loads from one source may run at once, so that a hanging origin cannot hold every slot.
    /// A source at its limit is skipped (<c>source_busy</c>); a prefetch never waits for a slot.
    /// </summary>
    /// <value>
    /// Default <see langword="null"/>: <see cref="MaxConcurrency"/> when one source is registered, otherwise half of it
    /// rounded up; when set, from 1 to <see cref="MaxConcurrency"/>.
    /// </value>
    [OptionRange(1, 1024)]
    public int? MaxConcurrencyPerSource { get; set; }

    /// <summary>Gets or sets how long one load from an origin may take before it is abandoned.</summary>
    /// <value>Default 5 seconds (Polly's timeout takes no less than 10 milliseconds).</value>
    [DurationRange("00:00:00.01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Gets or sets how long a prefetched value lives when neither its source nor an earlier application write of the key
    /// says, so that a prefetched copy never outlives its data indefinitely.
    /// </summary>
    /// <value>Default 300 seconds.</value>
    [DurationRange("00:00:01", "30.00:00:00")]
    public TimeSpan DefaultTimeToLive { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>
    /// Gets or sets the largest value a prefetch writes. A loaded value over it, or over what is left of the window's
    /// byte budget, is not written and is counted as skipped (<c>oversize</c>); its reservation goes back to the budget.
    /// </summary>
    /// <value>Default <see langword="null"/>: one eighth of the current strategy's byte budget.</value>
    [OptionRange(1L, long.MaxValue)]
    public long? MaxValueBytes { get; set; }

    /// <summary>The largest value one prefetch may write under a strategy with this byte budget.</summary>
    internal long ValueCapFor(long budgetBytes) => MaxValueBytes ?? Math.Max(1, budgetBytes / 8);

    /// <summary>
    /// Gets or sets the share of a source's loads, within <see cref="BreakerSamplingDuration"/>, that must fail or time
    /// out for its circuit breaker to open; while it is open the source is skipped (<c>breaker_open</c>).
    /// </summary>
    /// <value>Default 0.5.</value>
    [OptionRange(0d, 1d, MinimumIsExclusive = true)]
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Gets or sets how many loads a source must have made within <see cref="BreakerSamplingDuration"/> before its breaker may open.</summary>
    /// <value>Default 5.</value>
    [OptionRange(2, 10_000)]
    public int BreakerMinimumThroughput { get; set; } = 5;

    /// <summary>Gets or sets the time over which a source's failure ratio is measured.</summary>
    /// <value>Default 30 seconds.</value>
    [DurationRange("00:00:00.5", "1.00:00:00")]
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets how long a source's breaker stays open before one probe load is let through (half-open); a probe
    /// that succeeds closes it, one that fails opens it again for twice as long, up to <see cref="MaxBackoff"/>.
    /// </summary>
    /// <value>Default 5 seconds.</value>
    [DurationRange("00:00:00.5", "1.00:00:00")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets the longest a source's breaker stays open (the break doubles from <see cref="BreakDuration"/> on each opening in a row).</summary>
    /// <value>Default 300 seconds.</value>
    [DurationRange("00:00:01", "1.00:00:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>Gets or sets how many outcomes (used or wasted) the measured precision covers.</summary>
    /// <value>Default 1 000.</value>
    [OptionRange(10, 1_000_000)]
    public int PrecisionWindow { get; set; } = 1000;

    /// <summary>Gets or sets how many of the latest outcomes the confidence formula averages.</summary>
    /// <value>Default 100; at most <see cref="PrecisionWindow"/>.</value>
    [OptionRange(1, 1_000_000)]
    public int RecentPrecisionWindow { get; set; } = 100;

    /// <summary>Gets or sets the precision assumed before any prefetch outcome is known.</summary>
    /// <value>Default 0.8.</value>
    [OptionRange(0d, 1d)]
    public double InitialPrecision { get; set; } = 0.8;
}
