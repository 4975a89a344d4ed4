namespace PredictiveCaching.Tracking;

/// <summary>
/// A consistent copy of one key's <see cref="KeyAccessStatistics"/>, taken under a single lock by
/// <see cref="KeyAccessStatistics.Snapshot"/> so that feature extraction and prediction pay one lock per candidate.
/// </summary>
internal readonly struct KeyStatisticsSnapshot
{
    public required long ReadCount { get; init; }

    public required long HitCount { get; init; }

    /// <summary>Gets the time of the first read, in UTC ticks; 0 before any read.</summary>
    public required long FirstReadTicks { get; init; }

    /// <summary>Gets the time of the last read, in UTC ticks; 0 before any read.</summary>
    public required long LastReadTicks { get; init; }

    /// <summary>Gets the time of the last hit, write or refresh, in UTC ticks; 0 before any.</summary>
    public required long LastAccessTicks { get; init; }

    /// <summary>Gets the mean time between reads, in seconds; 0 with fewer than two reads.</summary>
    public required double MeanIntervalSeconds { get; init; }

    /// <summary>Gets the sample variance of the time between reads, in seconds squared; 0 with fewer than three reads.</summary>
    public required double IntervalVariance { get; init; }

    /// <summary>Gets the size of the value last read or written, in bytes; -1 when unknown.</summary>
    public required long LastSize { get; init; }

    /// <summary>Gets when the current copy is expected to expire, in UTC ticks; <see cref="long.MaxValue"/> for never.</summary>
    public required long ExpectedExpiryTicks { get; init; }

    public required bool IsPresent { get; init; }

    public required bool LastReadWasHit { get; init; }

    public required bool IsPrefetchedCopy { get; init; }

    public required bool PrefetchedCopyRead { get; init; }

    public required int WriteVersion { get; init; }

    /// <summary>Gets the standard deviation of the time between reads, in seconds.</summary>
    public double IntervalStandardDeviation => Math.Sqrt(IntervalVariance);

    /// <summary>Gets whether the tracker expects the copy to be in the cache at <paramref name="atTicks"/>.</summary>
    public bool IsExpectedPresentAt(long atTicks) => IsPresent && ExpectedExpiryTicks > atTicks;
}
