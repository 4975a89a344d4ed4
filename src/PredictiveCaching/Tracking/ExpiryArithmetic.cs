namespace PredictiveCaching.Tracking;

/// <summary>
/// Expiry arithmetic that saturates instead of overflowing: applications legitimately pass
/// <see cref="TimeSpan.MaxValue"/> or <see cref="DateTimeOffset.MaxValue"/> to mean "never", and a wrapped sum would
/// turn "never expires" into "expired in year 0".
/// </summary>
internal static class ExpiryArithmetic
{
    /// <summary>
    /// The longest relative expiry a prefetch hands to a cache. Every common <c>IDistributedCache</c> accepts it
    /// (MemoryDistributedCache adds it to now as a <see cref="DateTimeOffset"/>, RedisCache converts it to seconds),
    /// whereas the remaining time to <see cref="DateTimeOffset.MaxValue"/> overflows the former.
    /// </summary>
    public static readonly TimeSpan MaxPrefetchTimeToLive = TimeSpan.FromDays(365);

    /// <summary>Returns <paramref name="ticks"/> + <paramref name="span"/>, or <see cref="long.MaxValue"/> (never) when that overflows.</summary>
    public static long SaturatingAdd(long ticks, long span)
    {
        long sum = unchecked(ticks + span);
        // Overflow happened exactly when both operands have the same sign and the sum's sign differs.
        if (((ticks ^ sum) & (span ^ sum)) < 0)
        {
            return span > 0 ? long.MaxValue : long.MinValue;
        }

        return sum;
    }

    /// <summary>
    /// The relative expiry of a prefetched copy of a key whose application writes lived <paramref name="timeToLiveTicks"/>:
    /// <paramref name="defaultTimeToLive"/> when unknown or never expiring, at most <see cref="MaxPrefetchTimeToLive"/>
    /// (an application expiry years away, such as <see cref="DateTimeOffset.MaxValue"/>, is effectively infinite).
    /// </summary>
    public static TimeSpan PrefetchTimeToLive(long timeToLiveTicks, TimeSpan defaultTimeToLive)
    {
        if (timeToLiveTicks <= 0)
        {
            return defaultTimeToLive;
        }

        return timeToLiveTicks >= MaxPrefetchTimeToLive.Ticks ? MaxPrefetchTimeToLive : TimeSpan.FromTicks(timeToLiveTicks);
    }
}
