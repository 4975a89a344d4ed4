using Microsoft.Extensions.Caching.Distributed;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Tests.Tracking;

/// <summary>
/// Expiry options at the ends of their ranges: the bookkeeping saturates (never wraps into the past) and the lifetime a
/// prefetch derives from them is one every cache accepts.
/// </summary>
public sealed class ExtremeExpiryTests
{
    private static readonly long Now = new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero).UtcTicks;
    private static readonly long OneYear = TimeSpan.FromDays(365).Ticks;
    private static readonly TimeSpan DefaultTtl = TimeSpan.FromSeconds(300);

    public static TheoryData<string> NeverExpiring => new()
    {
        "AbsoluteExpiration=MaxValue",
        "Relative=MaxValue",
        "Relative=MaxValue-1tick",
        "Relative=1000000days",
        "Sliding=MaxValue",
        "Sliding=MaxValue-1tick",
        "Sliding=1000000days",
        "All=MaxValue",
    };

    [Theory]
    [MemberData(nameof(NeverExpiring))]
    public void Write_WithExtremeExpiry_KeyIsPresentFarAhead(string name)
    {
        AccessTracker tracker = CreateTracker();

        KeyAccessStatistics entry = tracker.RecordWrite("k", 10, OptionsFor(name), Now, prefetched: false);

        Assert.True(entry.IsPresent);
        Assert.True(entry.IsExpectedPresentAt(Now + (100 * OneYear)), $"{name}: expected expiry {entry.ExpectedExpiryTicks}");
        Assert.True(entry.ExpectedExpiryTicks > Now);
        Assert.True(entry.LastTimeToLiveTicks >= 0);
    }

    [Theory]
    [MemberData(nameof(NeverExpiring))]
    public void ReadsAndRefresh_WithExtremeExpiry_KeepTheKeyPresent(string name)
    {
        AccessTracker tracker = CreateTracker();
        tracker.RecordWrite("k", 10, OptionsFor(name), Now, prefetched: false);

        long at = Now;
        for (int i = 0; i < 30; i++)
        {
            at += TimeSpan.FromMinutes(1).Ticks;
            tracker.RecordRead("k", hit: true, 10, at, out KeyAccessStatistics entry);
            Assert.True(entry.IsExpectedPresentAt(at + OneYear), $"{name}: read {i} expected expiry {entry.ExpectedExpiryTicks}");
        }

        at += OneYear;
        tracker.RecordRefresh("k", at);
        Assert.True(tracker.TryGet("k", out KeyAccessStatistics? refreshed));
        Assert.True(refreshed.IsExpectedPresentAt(at + OneYear), $"{name}: after refresh {refreshed.ExpectedExpiryTicks}");
        Assert.True(refreshed.Snapshot().IsExpectedPresentAt(at + OneYear));
    }

    [Theory]
    [MemberData(nameof(NeverExpiring))]
    public void PrefetchLifetime_WithExtremeExpiry_IsPositiveAndAtMostTheCap(string name)
    {
        AccessTracker tracker = CreateTracker();
        KeyAccessStatistics entry = tracker.RecordWrite("k", 10, OptionsFor(name), Now, prefetched: false);

        TimeSpan ttl = ExpiryArithmetic.PrefetchTimeToLive(entry.LastTimeToLiveTicks, DefaultTtl);

        Assert.True(ttl > TimeSpan.Zero);
        Assert.True(ttl <= ExpiryArithmetic.MaxPrefetchTimeToLive);

        // Every cache turns a relative expiry into an absolute one; this one stays representable.
        _ = new DateTimeOffset(Now, TimeSpan.Zero) + ttl;
    }

    [Fact]
    public void AbsoluteExpirationMaxValue_PrefetchLifetime_IsTheCap()
    {
        AccessTracker tracker = CreateTracker();
        KeyAccessStatistics entry = tracker.RecordWrite("k", 10, new DistributedCacheEntryOptions { AbsoluteExpiration = DateTimeOffset.MaxValue }, Now, prefetched: false);

        Assert.Equal(DateTimeOffset.MaxValue.UtcTicks, entry.ExpectedExpiryTicks);
        Assert.Equal(DateTimeOffset.MaxValue.UtcTicks - Now, entry.LastTimeToLiveTicks);
        Assert.Equal(ExpiryArithmetic.MaxPrefetchTimeToLive, ExpiryArithmetic.PrefetchTimeToLive(entry.LastTimeToLiveTicks, DefaultTtl));
    }

    [Fact]
    public void SlidingMaxValue_NeverExpires()
    {
        AccessTracker tracker = CreateTracker();
        KeyAccessStatistics entry = tracker.RecordWrite("k", 10, new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.MaxValue }, Now, prefetched: false);

        Assert.Equal(KeyAccessStatistics.NoExpiry, entry.ExpectedExpiryTicks);
        Assert.Equal(0, entry.LastTimeToLiveTicks);
        Assert.Equal(DefaultTtl, ExpiryArithmetic.PrefetchTimeToLive(entry.LastTimeToLiveTicks, DefaultTtl));
    }

    [Fact]
    public void SlidingLong_ShorterAbsoluteWins()
    {
        AccessTracker tracker = CreateTracker();
        var options = new DistributedCacheEntryOptions
        {
            SlidingExpiration = TimeSpan.MaxValue,
            AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5),
        };

        KeyAccessStatistics entry = tracker.RecordWrite("k", 10, options, Now, prefetched: false);

        Assert.Equal(Now + TimeSpan.FromMinutes(5).Ticks, entry.ExpectedExpiryTicks);
        Assert.Equal(TimeSpan.FromMinutes(5).Ticks, entry.LastTimeToLiveTicks);
    }

    public static TheoryData<string> InThePast => new()
    {
        "AbsoluteExpiration=MinValue",
        "AbsoluteExpiration=yesterday",
    };

    [Theory]
    [MemberData(nameof(InThePast))]
    public void Write_WithExpiryInThePast_KeyIsExpectedAbsentAndLifetimeIsTheDefault(string name)
    {
        AccessTracker tracker = CreateTracker();

        KeyAccessStatistics entry = tracker.RecordWrite("k", 10, OptionsFor(name), Now, prefetched: false);

        Assert.False(entry.IsExpectedPresentAt(Now));
        Assert.Equal(0, entry.LastTimeToLiveTicks);
        Assert.Equal(DefaultTtl, ExpiryArithmetic.PrefetchTimeToLive(entry.LastTimeToLiveTicks, DefaultTtl));
    }

    [Fact]
    public void NonPositiveRelativeOrSliding_IsRejectedByTheOptionsThemselves()
    {
        // So the tracker never sees them; the saturating sums cover them anyway.
        Assert.Throws<ArgumentOutOfRangeException>(() => new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.MinValue });
        Assert.Throws<ArgumentOutOfRangeException>(() => new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.MinValue });
    }

    [Theory]
    [InlineData(long.MaxValue, 1L, long.MaxValue)]
    [InlineData(1L, long.MaxValue, long.MaxValue)]
    [InlineData(long.MaxValue - 5, 5L, long.MaxValue)]
    [InlineData(long.MaxValue - 5, 6L, long.MaxValue)]
    [InlineData(long.MinValue, -1L, long.MinValue)]
    [InlineData(-5L, long.MinValue, long.MinValue)]
    [InlineData(100L, -200L, -100L)]
    [InlineData(long.MaxValue, long.MinValue, -1L)]
    public void SaturatingAdd_ClampsAtTheEnds(long a, long b, long expected) =>
        Assert.Equal(expected, ExpiryArithmetic.SaturatingAdd(a, b));

    [Theory]
    [InlineData(0L, 300L)]
    [InlineData(-1L, 300L)]
    [InlineData(TimeSpan.TicksPerSecond * 30, 30L)]
    public void PrefetchTimeToLive_UsesTheDefaultOnlyWhenUnknown(long ttlTicks, long expectedSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), ExpiryArithmetic.PrefetchTimeToLive(ttlTicks, DefaultTtl));

    [Fact]
    public void PrefetchTimeToLive_LongMaxValue_IsTheCap() =>
        Assert.Equal(ExpiryArithmetic.MaxPrefetchTimeToLive, ExpiryArithmetic.PrefetchTimeToLive(long.MaxValue, DefaultTtl));

    private static AccessTracker CreateTracker() => new(new TrackingOptions());

    private static DistributedCacheEntryOptions OptionsFor(string name) => name switch
    {
        "AbsoluteExpiration=MaxValue" => new() { AbsoluteExpiration = DateTimeOffset.MaxValue },
        "AbsoluteExpiration=MinValue" => new() { AbsoluteExpiration = DateTimeOffset.MinValue },
        "Relative=MaxValue" => new() { AbsoluteExpirationRelativeToNow = TimeSpan.MaxValue },
        "Relative=MaxValue-1tick" => new() { AbsoluteExpirationRelativeToNow = TimeSpan.MaxValue - TimeSpan.FromTicks(1) },
        "Relative=1000000days" => new() { AbsoluteExpirationRelativeToNow = TimeSpan.FromDays(1_000_000) },
        "AbsoluteExpiration=yesterday" => new() { AbsoluteExpiration = new DateTimeOffset(Now, TimeSpan.Zero).AddDays(-1) },
        "Sliding=MaxValue" => new() { SlidingExpiration = TimeSpan.MaxValue },
        "Sliding=MaxValue-1tick" => new() { SlidingExpiration = TimeSpan.MaxValue - TimeSpan.FromTicks(1) },
        "Sliding=1000000days" => new() { SlidingExpiration = TimeSpan.FromDays(1_000_000) },
        "All=MaxValue" => new()
        {
            AbsoluteExpiration = DateTimeOffset.MaxValue,
            AbsoluteExpirationRelativeToNow = TimeSpan.MaxValue,
            SlidingExpiration = TimeSpan.MaxValue,
        },
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };
}
