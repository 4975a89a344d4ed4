namespace PredictiveCaching.Prefetching;

/// <summary>How prefetch cycles run and how loads from the origin are bounded.</summary>
public sealed class PrefetchOptions
{
    /// <summary>Gets or sets a value indicating whether the background prefetch loop runs.</summary>
    /// <value>Default <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets the time between prefetch cycles.</summary>
    /// <value>Default 1 second; from 10 milliseconds to 10 minutes.</value>
    public TimeSpan CycleInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets how many loads from origins may run at once.</summary>
    /// <value>Default 4; from 1 to 1 024.</value>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>Gets or sets how long one load from an origin may take before it is abandoned.</summary>
    /// <value>Default 5 seconds; from 1 millisecond to 10 minutes.</value>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Gets or sets how long a prefetched value lives when neither its source nor an earlier application write of the key
    /// says, so that a prefetched copy never outlives its data indefinitely.
    /// </summary>
    /// <value>Default 300 seconds; from 1 second to 30 days.</value>
    public TimeSpan DefaultTimeToLive { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>
    /// Gets or sets the largest value a prefetch writes. A loaded value over it, or over what is left of the window's
    /// byte budget, is not written and is counted as skipped (<c>oversize</c>); its reservation goes back to the budget.
    /// </summary>
    /// <value>Default <see langword="null"/>: one eighth of the current strategy's byte budget; when set, at least 1.</value>
    public long? MaxValueBytes { get; set; }

    /// <summary>Gets or sets the longest back-off after a source fails or times out for a key (it doubles from 1 second).</summary>
    /// <value>Default 300 seconds; from 1 second to 1 day.</value>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>Gets or sets how many outcomes (used or wasted) the measured precision covers.</summary>
    /// <value>Default 1 000; from 10 to 1 000 000.</value>
    public int AccuracyWindow { get; set; } = 1000;

    /// <summary>Gets or sets how many of the latest outcomes the confidence formula averages.</summary>
    /// <value>Default 100; from 1 to <see cref="AccuracyWindow"/>.</value>
    public int ConfidenceAccuracyWindow { get; set; } = 100;

    /// <summary>Gets or sets the accuracy assumed before any prefetch outcome is known.</summary>
    /// <value>Default 0.8; in [0, 1].</value>
    public double InitialAccuracy { get; set; } = 0.8;
}
