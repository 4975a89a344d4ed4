namespace PredictiveCaching.Tracking;

/// <summary>
/// What the tracker had observed about one cache key — its reads, the size of its value and what it believes of the
/// cached copy — as one consistent copy taken when the prediction was asked for.
/// </summary>
/// <remarks>
/// <para>
/// A value, not a view: the figures are copied together under the key's gate, so they agree with each other (the mean
/// interval belongs to the read count beside it) and do not change while a predictor or feature extractor reads them.
/// Reads that happen afterwards are not in it. Taken once per candidate and passed inside
/// <see cref="Features.PredictionContext"/>, so it costs no allocation.
/// </para>
/// <para>
/// Times are UTC ticks (<see cref="DateTimeOffset.UtcTicks"/>) from the configured <see cref="TimeProvider"/>. A
/// <see langword="new"/> instance describes a key with no reads, an unknown size and no copy in the cache; set the
/// properties with an object initializer to build one for a test of a custom predictor.
/// </para>
/// </remarks>
public readonly struct KeyAccessSnapshot
{
    /// <summary>Initializes a new instance of the <see cref="KeyAccessSnapshot"/> struct for a key with no reads, an unknown size and no copy.</summary>
    public KeyAccessSnapshot()
    {
    }

    /// <summary>Gets how many reads of the key were observed.</summary>
    public long ReadCount { get; init; }

    /// <summary>Gets how many of the observed reads found a value.</summary>
    public long HitCount { get; init; }

    /// <summary>Gets the time of the first observed read, in UTC ticks; 0 before any read.</summary>
    public long FirstReadTicks { get; init; }

    /// <summary>Gets the time of the last observed read, in UTC ticks; 0 before any read.</summary>
    public long LastReadTicks { get; init; }

    /// <summary>Gets the time of the last hit, write or refresh, in UTC ticks; 0 before any.</summary>
    public long LastAccessTicks { get; init; }

    /// <summary>Gets the mean time between consecutive reads, in seconds; 0 with fewer than two reads.</summary>
    public double MeanIntervalSeconds { get; init; }

    /// <summary>Gets the sample variance of the time between consecutive reads, in seconds squared; 0 with fewer than three reads.</summary>
    public double IntervalVariance { get; init; }

    /// <summary>Gets the size in bytes of the value last read or written; -1 when unknown.</summary>
    public long LastSize { get; init; } = -1;

    /// <summary>
    /// Gets when the current copy is expected to expire, in UTC ticks, from the entry options of the last write;
    /// <see cref="long.MaxValue"/> when it never expires.
    /// </summary>
    public long ExpectedExpiryTicks { get; init; } = long.MaxValue;

    /// <summary>Gets a value indicating whether a copy is believed to be in the cache (written and not removed or known to have missed).</summary>
    public bool IsPresent { get; init; }

    /// <summary>Gets a value indicating whether the last observed read found a value.</summary>
    public bool LastReadWasHit { get; init; }

    /// <summary>Gets a value indicating whether the current copy was written by a prefetch rather than by the application.</summary>
    public bool IsPrefetchedCopy { get; init; }

    /// <summary>Gets a value indicating whether the current prefetched copy has been read since it was written.</summary>
    public bool PrefetchedCopyRead { get; init; }

    /// <summary>Gets the standard deviation of the time between consecutive reads, in seconds.</summary>
    public double IntervalStandardDeviation => Math.Sqrt(IntervalVariance);

    // The fence counter of application writes: internal bookkeeping, meaningless to a predictor.
    internal int WriteVersion { get; init; }

    /// <summary>Returns whether a read at <paramref name="atTicks"/> would find the copy, as far as the tracker knew.</summary>
    /// <param name="atTicks">The time of the hypothetical read, in UTC ticks.</param>
    /// <returns><see langword="true"/> when a copy was present and not expected to have expired by then.</returns>
    public bool IsExpectedPresentAt(long atTicks) => IsPresent && ExpectedExpiryTicks > atTicks;
}
