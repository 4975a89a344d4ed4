using Microsoft.Extensions.Caching.Distributed;
using PredictiveCaching.Loop.Outcomes;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Tests.Stages;

/// <summary>The outcome watch alone: a prefetched copy unread by the end of its life is wasted, once; a read one is not.</summary>
public sealed class PrefetchOutcomeWatchTests
{
    private static readonly long Second = TimeSpan.TicksPerSecond;
    private static readonly DistributedCacheEntryOptions Ttl60 = new() { AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(60) };

    [Fact]
    public void Settle_UnreadCopyAtItsDeadline_IsWastedOnce_NotBefore()
    {
        var accuracy = new PrefetchPrecision(new PrefetchOptions());
        var watch = new PrefetchOutcomeWatch(accuracy);
        KeyAccessStatistics entry = Prefetched("k", 0);
        watch.Watch(entry, entry.PrefetchStamp, 60 * Second);

        Assert.Equal(0, watch.Settle(59 * Second));
        Assert.Equal(1, watch.Count);
        Assert.Equal(1, watch.Settle(60 * Second));
        Assert.Equal(0, watch.Settle(120 * Second));
        Assert.Equal(1, accuracy.WastedCount);
        Assert.Equal(0, watch.Count);
    }

    [Fact]
    public void Settle_CopyReadWithinItsLife_IsNotWasted()
    {
        var accuracy = new PrefetchPrecision(new PrefetchOptions());
        var watch = new PrefetchOutcomeWatch(accuracy);
        KeyAccessStatistics entry = Prefetched("k", 0);
        watch.Watch(entry, entry.PrefetchStamp, 60 * Second);

        Assert.Equal(ReadOutcome.FirstReadOfPrefetchedCopy, entry.RecordRead(hit: true, 10, 30 * Second));
        Assert.Equal(0, watch.Settle(60 * Second));
        Assert.Equal(0, accuracy.WastedCount);
    }

    [Fact]
    public void Settle_AnOlderPrefetchOfAKeyPrefetchedAgain_SettlesOnlyItsOwnCopy()
    {
        var accuracy = new PrefetchPrecision(new PrefetchOptions());
        var watch = new PrefetchOutcomeWatch(accuracy);
        KeyAccessStatistics entry = Prefetched("k", 0);
        int first = entry.PrefetchStamp;
        watch.Watch(entry, first, 60 * Second);
        entry.RecordWrite(10, Ttl60, 50 * Second, prefetched: true);
        watch.Watch(entry, entry.PrefetchStamp, 110 * Second);

        // The first copy's deadline finds the second copy in its place: not the watched copy, so nothing is settled
        // (the write that replaced an unread copy is where that one was counted).
        Assert.Equal(0, watch.Settle(60 * Second));
        Assert.Equal(ReadOutcome.FirstReadOfPrefetchedCopy, entry.RecordRead(hit: true, 10, 70 * Second));
        Assert.Equal(0, watch.Settle(110 * Second));
        Assert.Equal(0, accuracy.WastedCount);
    }

    private static KeyAccessStatistics Prefetched(string key, long nowTicks)
    {
        var entry = new KeyAccessStatistics(key);
        entry.RecordWrite(10, Ttl60, nowTicks, prefetched: true);
        return entry;
    }
}
