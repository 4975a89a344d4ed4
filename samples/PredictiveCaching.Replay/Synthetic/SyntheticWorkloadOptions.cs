namespace PredictiveCaching.Replay.Synthetic;

/// <summary>The shape of the synthetic workload; the defaults make each kind of structure visible in an hour.</summary>
public sealed class SyntheticWorkloadOptions
{
    public int Seed { get; set; } = 42;

    public int DurationSeconds { get; set; } = 3600;

    /// <summary>Gets or sets the TTL every value is written with (0: the replay's default).</summary>
    public int TtlSeconds { get; set; } = 300;

    /// <summary>Gets or sets how many keys are read on a fixed rhythm.</summary>
    public int PeriodicKeys { get; set; } = 200;

    /// <summary>Gets or sets the shortest rhythm; it should outlive the TTL, so without prefetch every read misses.</summary>
    public int MinPeriodSeconds { get; set; } = 360;

    public int MaxPeriodSeconds { get; set; } = 900;

    /// <summary>Gets or sets the rhythm's jitter, as a fraction of the period.</summary>
    public double PeriodJitter { get; set; } = 0.02;

    /// <summary>Gets or sets how many keys are drawn from a Zipf popularity law.</summary>
    public int ZipfKeys { get; set; } = 2000;

    public double ZipfExponent { get; set; } = 1.0;

    public double ZipfReadsPerSecond { get; set; } = 5;

    /// <summary>Gets or sets how many sessions per second read <c>order:i</c> then, a moment later, <c>customer:c(i)</c>.</summary>
    public double SessionsPerSecond { get; set; } = 0.5;

    public int Orders { get; set; } = 300;

    /// <summary>Gets or sets how many paged listings per second start (each reads <c>list:j:page:1..n</c>, 1 s apart).</summary>
    public double PagedListingsPerSecond { get; set; } = 0.1;

    public int Listings { get; set; } = 50;

    public int PagesPerListing { get; set; } = 8;

    /// <summary>Gets or sets how many keys per second are read once and never again.</summary>
    public double NoisePerSecond { get; set; } = 1;
}
