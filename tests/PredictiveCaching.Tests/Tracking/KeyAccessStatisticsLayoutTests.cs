using Microsoft.Extensions.Caching.Distributed;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Tests.Tracking;

/// <summary>The packed layout (flags sharing bytes, the derived interval sum, the lazily allocated Extras) behaves as separate fields did.</summary>
public sealed class KeyAccessStatisticsLayoutTests
{
    private static readonly long Now = new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero).UtcTicks;

    [Fact]
    public void Marks_SetIndependently_EachKeepsItsValue()
    {
        var sut = new KeyAccessStatistics("k");
        Assert.Equal(0, sut.LastExpiryOutcome);
        Assert.False(sut.IsProtected);

        foreach (sbyte outcome in new sbyte[] { 1, -1, 0, -1 })
        {
            sut.LastExpiryOutcome = outcome;
            sut.IsProtected = !sut.IsProtected;
            Assert.Equal(outcome, sut.LastExpiryOutcome);
            Assert.False(sut.IsEvicted);
        }

        Assert.False(sut.IsProtected);
        sut.MarkEvicted();
        Assert.True(sut.IsEvicted);
        Assert.Equal(-1, sut.LastExpiryOutcome);
    }

    [Fact]
    public void RecordRead_ManyHitsOfOneCopy_ReadsOfCopySaturatesAtThreeAndAWriteResetsIt()
    {
        var sut = new KeyAccessStatistics("k");
        sut.RecordWrite(10, null, Now, prefetched: false);
        for (int i = 1; i <= 5; i++)
        {
            sut.RecordRead(hit: true, 10, Now + i);
            Assert.Equal(Math.Min(i, 3), sut.ReadsOfCopy);
            Assert.True(sut.IsPresent);
            Assert.True(sut.LastReadWasHit);
        }

        sut.RecordWrite(10, null, Now + 10, prefetched: false);
        Assert.Equal(0, sut.ReadsOfCopy);
    }

    [Fact]
    public void FlagsAndGate_SetTogether_DoNotDisturbEachOther()
    {
        var sut = new KeyAccessStatistics("k");
        sut.ReadThroughHybridCache = true;
        sut.RecordWrite(10, null, Now, prefetched: true);
        Assert.True(sut.IsPrefetchedCopy);
        Assert.Equal(ReadOutcome.FirstReadOfPrefetchedCopy, sut.RecordRead(hit: true, 10, Now + 1));
        Assert.True(sut.PrefetchedCopyRead);
        Assert.Equal(ReadOutcome.Miss, sut.RecordRead(hit: false, -1, Now + 2));
        Assert.False(sut.IsPresent);
        Assert.False(sut.LastReadWasHit);
        Assert.False(sut.IsPrefetchedCopy);
        Assert.True(sut.ReadThroughHybridCache);
        // The gate was released every time: a further update does not spin.
        Assert.False(sut.RecordRemove());
        Assert.True(sut.ReadThroughHybridCache);
    }

    [Fact]
    public void MeanAndVariance_IrregularIntervals_MatchARunningShiftedSum()
    {
        var sut = new KeyAccessStatistics("k");
        long[] intervals = [7_000_000, 13_000_000, 5_000_001, 29_999_999, 7_000_000, 1, 86_400_000_000];
        long now = Now;
        sut.RecordRead(hit: true, 1, now);
        double sum = 0, squares = 0;
        foreach (long interval in intervals)
        {
            now += interval;
            sut.RecordRead(hit: true, 1, now);
            double shifted = interval - intervals[0];
            sum += shifted;
            squares += shifted * shifted;
        }

        int n = intervals.Length;
        Assert.Equal((intervals[0] + (sum / n)) / TimeSpan.TicksPerSecond, sut.MeanIntervalSeconds);
        Assert.Equal(Math.Max(0d, squares - (sum * sum / n)) / (n - 1) / ((double)TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond), sut.IntervalVariance);
    }

    [Fact]
    public void Extras_PrefetchWriteAndSuccessors_KeptApartAndCountedOnce()
    {
        var tracker = new AccessTracker(new TrackingOptions());
        tracker.RecordRead("a", hit: true, 1, Now, out KeyAccessStatistics a);
        tracker.RecordRead("b", hit: true, 1, Now + 1, out KeyAccessStatistics b);
        long withSuccessors = AccessTracker.EntryBytes("a") + AccessTracker.EntryBytes("b") + AccessTracker.SuccessorArrayBytes(4);
        Assert.Equal(withSuccessors, tracker.TrackedBytes);

        TaskCompletionSource? write = tracker.TryBeginPrefetchWrite(a, a.WriteVersion);
        Assert.NotNull(write);
        Assert.Null(tracker.TryBeginPrefetchWrite(a, a.WriteVersion));
        Assert.Equal(withSuccessors + AccessTracker.ExtrasBytes, tracker.TrackedBytes);
        a.RecordWrite(10, new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(1) }, Now + 2, prefetched: true);
        Assert.Equal(1, a.PrefetchStamp);
        a.EndPrefetchWrite(write);
        Assert.True(write.Task.IsCompleted);

        // The successor array moved into the Extras and is still found there.
        var links = new SuccessorLink[4];
        tracker.Link(a, Now, b, Now + 1);
        Assert.Equal(1, a.GetSuccessors(links, minimumCount: 1));
        Assert.Same(b, links[0].Successor);

        Assert.NotNull(tracker.AllocatePartners(a));
        Assert.Equal(withSuccessors + AccessTracker.ExtrasBytes + AccessTracker.PartnerTableBytes(16), tracker.TrackedBytes);
        Assert.Equal(EvictedTables.Successors | EvictedTables.Partners | EvictedTables.Extras, a.MarkEvicted());
        Assert.Null(a.Partners);
        Assert.Equal(0, a.GetSuccessors(links, minimumCount: 1));
    }
}
