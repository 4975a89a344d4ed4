using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Time.Testing;
using PredictiveCaching.Tracking;

using PredictiveCaching.Tests.Fakes;

namespace PredictiveCaching.Tests.Tracking;

public sealed class AccessTrackerTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);

    private long Now => _time.GetUtcNow().UtcTicks;

    [Fact]
    public void RecordRead_ThreeReads_CountsFirstLastMeanAndSampleVariance()
    {
        AccessTracker sut = CreateSut();

        sut.RecordRead("k", hit: true, 10, Now, out _);
        _time.Advance(TimeSpan.FromMilliseconds(1_000));
        sut.RecordRead("k", hit: true, 20, Now, out _);
        _time.Advance(TimeSpan.FromMilliseconds(2_500));
        sut.RecordRead("k", hit: false, -1, Now, out KeyAccessStatistics k);

        // Intervals 1.000 s and 2.500 s: mean 1.75 s, sample variance ((-0.75)² + 0.75²) / (2 - 1) = 1.125 s².
        Assert.Equal(3, k.ReadCount);
        Assert.Equal(2, k.HitCount);
        Assert.Equal(Start.UtcTicks, k.FirstReadTicks);
        Assert.Equal(Start.AddMilliseconds(3_500).UtcTicks, k.LastReadTicks);
        Assert.Equal(1.75, k.MeanIntervalSeconds, precision: 12);
        Assert.Equal(1.125, k.IntervalVariance, precision: 12);
        Assert.Equal(Math.Sqrt(1.125), k.IntervalStandardDeviation, precision: 12);
        Assert.Equal(20, k.LastSize);
        Assert.False(k.LastReadWasHit);
    }

    [Fact]
    public void RecordRead_MillisecondIntervals_MatchesTwoPassStatistics()
    {
        (double mean, double variance, KeyAccessStatistics k) = ReadWithGaps([1, 250, 999, 3_001, 17, 60_000, 2]);

        Assert.Equal(mean, k.MeanIntervalSeconds, precision: 9);
        Assert.Equal(variance, k.IntervalVariance, precision: 9);
    }

    [Fact]
    public void RecordRead_AtypicalFirstIntervalThenSteadyRhythm_KeepsVariancePrecise()
    {
        // The sums are shifted by the first interval; an hour-long first gap followed by 10 000 one-second gaps is the
        // case where shifted sums of squares could cancel badly.
        var gapsMs = new List<int> { 3_600_000 };
        for (int i = 0; i < 10_000; i++)
        {
            gapsMs.Add(i % 2 == 0 ? 1_000 : 1_001);
        }

        (double mean, double variance, KeyAccessStatistics k) = ReadWithGaps(gapsMs);

        Assert.Equal(mean, k.MeanIntervalSeconds, precision: 9);
        Assert.Equal(1, k.IntervalVariance / variance, precision: 7);
    }

    /// <summary>Reads one key with the given gaps and returns the two-pass mean and sample variance of the gaps, in seconds.</summary>
    private (double Mean, double Variance, KeyAccessStatistics Statistics) ReadWithGaps(IReadOnlyList<int> gapsMs)
    {
        AccessTracker sut = CreateSut();
        sut.RecordRead("k", true, 1, Now, out _);
        foreach (int gap in gapsMs)
        {
            _time.Advance(TimeSpan.FromMilliseconds(gap));
            sut.RecordRead("k", true, 1, Now, out _);
        }

        double mean = gapsMs.Average() / 1000d;
        double variance = gapsMs.Sum(g => Math.Pow((g / 1000d) - mean, 2)) / (gapsMs.Count - 1);
        Assert.True(sut.TryGet("k", out KeyAccessStatistics? k));
        return (mean, variance, k);
    }

    [Fact]
    public void RecordRead_FewerThanThreeReads_VarianceZero()
    {
        AccessTracker sut = CreateSut();

        sut.RecordRead("k", true, 1, Now, out KeyAccessStatistics k);
        Assert.Equal(0, k.MeanIntervalSeconds);
        _time.Advance(TimeSpan.FromSeconds(2));
        sut.RecordRead("k", true, 1, Now, out _);

        Assert.Equal(2, k.MeanIntervalSeconds, precision: 12);
        Assert.Equal(0, k.IntervalVariance);
    }

    [Fact]
    public void RecordWrite_AbsoluteExpiration_ExpectedExpiryIsThatInstant()
    {
        AccessTracker sut = CreateSut();
        DateTimeOffset at = Start.AddMinutes(7).ToOffset(TimeSpan.FromHours(2));

        KeyAccessStatistics k = sut.RecordWrite("k", 5, new DistributedCacheEntryOptions { AbsoluteExpiration = at }, Now, prefetched: false);

        Assert.Equal(Start.AddMinutes(7).UtcTicks, k.ExpectedExpiryTicks);
        Assert.True(k.IsExpectedPresentAt(Start.AddMinutes(7).UtcTicks - 1));
        Assert.False(k.IsExpectedPresentAt(Start.AddMinutes(7).UtcTicks));
    }

    [Fact]
    public void RecordWrite_RelativeExpiration_ExpectedExpiryFromWriteTime()
    {
        AccessTracker sut = CreateSut();
        _time.Advance(TimeSpan.FromSeconds(30));

        KeyAccessStatistics k = sut.RecordWrite("k", 5, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(90) }, Now, prefetched: false);
        _time.Advance(TimeSpan.FromSeconds(60));
        sut.RecordRead("k", true, 5, Now, out _);

        Assert.Equal(Start.AddSeconds(120).UtcTicks, k.ExpectedExpiryTicks);
    }

    [Fact]
    public void RecordWrite_AbsoluteAndRelative_EarlierWins()
    {
        AccessTracker sut = CreateSut();

        KeyAccessStatistics k = sut.RecordWrite("k", 5, new DistributedCacheEntryOptions
        {
            AbsoluteExpiration = Start.AddSeconds(50),
            AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(80),
        }, Now, prefetched: false);

        Assert.Equal(Start.AddSeconds(50).UtcTicks, k.ExpectedExpiryTicks);
    }

    [Fact]
    public void RecordWrite_NoOptions_NeverExpires()
    {
        AccessTracker sut = CreateSut();

        KeyAccessStatistics k = sut.RecordWrite("k", 5, null, Now, prefetched: false);

        Assert.Equal(long.MaxValue, k.ExpectedExpiryTicks);
        Assert.True(k.IsExpectedPresentAt(Start.AddYears(50).UtcTicks));
    }

    [Fact]
    public void RecordRead_SlidingExpirationHit_RenewsExpectedExpiry()
    {
        AccessTracker sut = CreateSut();
        KeyAccessStatistics k = sut.RecordWrite("k", 5, new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromSeconds(20) }, Now, prefetched: false);
        Assert.Equal(Start.AddSeconds(20).UtcTicks, k.ExpectedExpiryTicks);

        _time.Advance(TimeSpan.FromSeconds(15));
        sut.RecordRead("k", hit: true, 5, Now, out _);
        Assert.Equal(Start.AddSeconds(35).UtcTicks, k.ExpectedExpiryTicks);

        _time.Advance(TimeSpan.FromSeconds(15));
        sut.RecordRefresh("k", Now);
        Assert.Equal(Start.AddSeconds(50).UtcTicks, k.ExpectedExpiryTicks);

        _time.Advance(TimeSpan.FromSeconds(5));
        sut.RecordRead("k", hit: false, -1, Now, out _);
        Assert.Equal(Start.AddSeconds(50).UtcTicks, k.ExpectedExpiryTicks);
        Assert.False(k.IsPresent);
    }

    [Fact]
    public void RecordRead_SlidingCappedByAbsolute_NeverBeyondAbsolute()
    {
        AccessTracker sut = CreateSut();
        KeyAccessStatistics k = sut.RecordWrite("k", 5, new DistributedCacheEntryOptions
        {
            SlidingExpiration = TimeSpan.FromSeconds(20),
            AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(30),
        }, Now, prefetched: false);

        _time.Advance(TimeSpan.FromSeconds(15));
        sut.RecordRead("k", hit: true, 5, Now, out _);

        Assert.Equal(Start.AddSeconds(30).UtcTicks, k.ExpectedExpiryTicks);
    }

    [Fact]
    public void RecordRefresh_UntrackedKey_TracksNothing()
    {
        AccessTracker sut = CreateSut();

        sut.RecordRefresh("k", Now);
        sut.RecordRemove("k");

        Assert.Equal(0, sut.Count);
        Assert.False(sut.TryGet("k", out _));
    }

    [Fact]
    public void RecordRead_PrefetchedCopy_FirstReadReportedOnce()
    {
        AccessTracker sut = CreateSut();
        KeyAccessStatistics k = sut.RecordWrite("k", 8, null, Now, prefetched: true);
        Assert.True(k.IsPrefetchedCopy);
        Assert.False(k.PrefetchedCopyRead);
        Assert.Equal(0, k.WriteVersion);

        Assert.Equal(ReadOutcome.FirstReadOfPrefetchedCopy, sut.RecordRead("k", true, 8, Now, out _));
        Assert.True(k.PrefetchedCopyRead);
        Assert.Equal(ReadOutcome.None, sut.RecordRead("k", true, 8, Now, out _));
    }

    [Fact]
    public void RecordRead_MissAfterUnreadPrefetch_ReportedAndCopyForgotten()
    {
        AccessTracker sut = CreateSut();
        KeyAccessStatistics k = sut.RecordWrite("k", 8, null, Now, prefetched: true);

        Assert.Equal(ReadOutcome.MissAfterUnreadPrefetch, sut.RecordRead("k", false, -1, Now, out _));
        Assert.False(k.IsPrefetchedCopy);
        Assert.Equal(ReadOutcome.Miss, sut.RecordRead("k", false, -1, Now, out _));
    }

    [Fact]
    public void RecordWrite_ApplicationWriteAfterPrefetch_ClearsPrefetchedFlag()
    {
        AccessTracker sut = CreateSut();
        sut.RecordWrite("k", 8, null, Now, prefetched: true);

        KeyAccessStatistics k = sut.RecordWrite("k", 9, null, Now, prefetched: false);

        Assert.False(k.IsPrefetchedCopy);
        Assert.Equal(1, k.WriteVersion);
        Assert.Equal(ReadOutcome.None, sut.RecordRead("k", true, 9, Now, out _));
    }

    [Fact]
    public void RecordRemove_TrackedKey_MarksAbsentAndBumpsWriteVersion()
    {
        AccessTracker sut = CreateSut();
        KeyAccessStatistics k = sut.RecordWrite("k", 8, null, Now, prefetched: true);

        sut.RecordRemove("k");

        Assert.False(k.IsPresent);
        Assert.False(k.IsPrefetchedCopy);
        Assert.Equal(1, k.WriteVersion);
        Assert.False(k.IsExpectedPresentAt(Now));
        Assert.Equal(1, sut.Count);
    }

    [Fact]
    public void RecordRead_RepeatedPairWithinGap_FormsLink()
    {
        AccessTracker sut = CreateSut();

        for (int i = 0; i < 3; i++)
        {
            sut.RecordRead("order:17", true, 1, Now, out _);
            _time.Advance(TimeSpan.FromMilliseconds(300));
            sut.RecordRead("customer:4", true, 1, Now, out _);
            _time.Advance(TimeSpan.FromSeconds(30));
        }

        SuccessorLink[] links = Successors(sut, "order:17");
        SuccessorLink link = Assert.Single(links);
        Assert.Equal("customer:4", link.Successor.Key);
        Assert.Equal(3, link.Count);
        // customer:4 was followed by order:17 only after 30 s, beyond the 5 s gap.
        Assert.Empty(Successors(sut, "customer:4", minimumCount: 1));
    }

    [Fact]
    public void RecordRead_NoiseOfDistinctKeys_NoLinkWithCountTwo()
    {
        AccessTracker sut = CreateSut();
        var random = new Random(1234);
        var keys = new HashSet<string>();

        for (int i = 0; i < 5_000; i++)
        {
            // A hub key followed by a different random key every time, plus the random keys themselves.
            sut.RecordRead("hub", true, 1, Now, out _);
            _time.Advance(TimeSpan.FromMilliseconds(10));
            string key = "noise:" + random.NextInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
            keys.Add(key);
            sut.RecordRead(key, true, 1, Now, out _);
            _time.Advance(TimeSpan.FromMilliseconds(10));
        }

        Assert.Empty(Successors(sut, "hub"));
        Assert.All(keys, key => Assert.Empty(Successors(sut, key)));
    }

    [Fact]
    public void RecordRead_RealLinkAmidNoise_SurvivesMisraGries()
    {
        AccessTracker sut = CreateSut();

        for (int i = 0; i < 1_000; i++)
        {
            sut.RecordRead("page:3", true, 1, Now, out _);
            _time.Advance(TimeSpan.FromMilliseconds(10));
            // page:4 follows page:3 half of the time, a one-off key the other half.
            string next = i % 2 == 0 ? "page:4" : "one-off:" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            sut.RecordRead(next, true, 1, Now, out _);
            _time.Advance(TimeSpan.FromSeconds(10));
        }

        SuccessorLink link = Assert.Single(Successors(sut, "page:3"));
        Assert.Equal("page:4", link.Successor.Key);
        // Misra-Gries with 4 slots under-counts by at most n / 5 = 200 of the 500 true follows.
        Assert.InRange(link.Count, 300, 500);
    }

    [Fact]
    public void RecordRead_FartherApartThanGap_NoLink()
    {
        AccessTracker sut = CreateSut(o => o.SuccessorGap = TimeSpan.FromSeconds(2));

        for (int i = 0; i < 10; i++)
        {
            sut.RecordRead("a", true, 1, Now, out _);
            _time.Advance(TimeSpan.FromMilliseconds(2_001));
            sut.RecordRead("b", true, 1, Now, out _);
            _time.Advance(TimeSpan.FromMilliseconds(2_001));
        }

        Assert.Empty(Successors(sut, "a", minimumCount: 1));
        Assert.Empty(Successors(sut, "b", minimumCount: 1));
    }

    [Fact]
    public void RecordRead_ExactlyAtGap_Links()
    {
        AccessTracker sut = CreateSut(o => o.SuccessorGap = TimeSpan.FromSeconds(2));

        for (int i = 0; i < 2; i++)
        {
            sut.RecordRead("a", true, 1, Now, out _);
            _time.Advance(TimeSpan.FromSeconds(2));
            sut.RecordRead("b", true, 1, Now, out _);
            _time.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Equal(2, Assert.Single(Successors(sut, "a")).Count);
    }

    [Fact]
    public void RecordRead_MaxSuccessorsZero_NoLinks()
    {
        AccessTracker sut = CreateSut(o => o.MaxSuccessors = 0);

        for (int i = 0; i < 5; i++)
        {
            sut.RecordRead("a", true, 1, Now, out _);
            sut.RecordRead("b", true, 1, Now, out _);
        }

        Assert.Empty(Successors(sut, "a", minimumCount: 1));
    }

    [Fact]
    public void RecordRead_ScanOfOneReadKeysWithHotKeys_BoundHeldAndHotKeysKept()
    {
        const int bound = 100_000;
        const int hotKeys = 1_000;
        const int coldKeys = 2_000_000;
        const int coldPerHot = 10;
        AccessTracker sut = CreateSut(o => o.MaxTrackedKeys = bound);
        string[] hot = Enumerable.Range(0, hotKeys).Select(i => "hot:" + i).ToArray();
        int maxCount = 0;
        int hotIndex = 0;
        long now = Now;

        for (int i = 0; i < coldKeys; i++)
        {
            sut.RecordRead("cold:" + i, true, 1, now, out _);
            maxCount = Math.Max(maxCount, sut.Count);
            if (i % coldPerHot == 0)
            {
                // Each hot key comes round every hotKeys × (coldPerHot + 1) = 11 000 operations.
                sut.RecordRead(hot[hotIndex], true, 1, now, out _);
                hotIndex = (hotIndex + 1) % hotKeys;
                maxCount = Math.Max(maxCount, sut.Count);
            }

            now += TimeSpan.TicksPerMillisecond;
        }

        Assert.InRange(maxCount, bound, bound);
        Assert.True(sut.Evictions >= coldKeys + hotKeys - bound);
        Assert.All(hot, key => Assert.True(sut.TryGet(key, out _), key + " was evicted."));
        Assert.Equal(sut.Count, sut.EnumerateEntries().Count());
    }

    [Fact]
    public void RecordRead_EightThreadsMixedOperations_CountsExact()
    {
        const int threads = 8;
        const int operationsPerThread = 100_000;
        const int keyCount = 300;
        AccessTracker sut = CreateSut(o => o.MaxTrackedKeys = 10_000);
        string[] keys = Enumerable.Range(0, keyCount).Select(i => "shared:" + i).ToArray();
        long[][] readsIssued = new long[threads][];
        long[][] writesIssued = new long[threads][];
        long now = Now;
        foreach (string key in keys)
        {
            // Written once up front so that every later removal finds the key tracked and bumps its version.
            sut.RecordWrite(key, 16, null, now, prefetched: false);
        }

        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            var random = new Random(t);
            long[] reads = readsIssued[t] = new long[keyCount];
            long[] writes = writesIssued[t] = new long[keyCount];
            for (int i = 0; i < operationsPerThread; i++)
            {
                int k = random.Next(keyCount);
                int op = random.Next(10);
                if (op < 7)
                {
                    sut.RecordRead(keys[k], hit: op < 5, 16, now + i, out _);
                    reads[k]++;
                }
                else if (op < 9)
                {
                    sut.RecordWrite(keys[k], 16, null, now + i, prefetched: false);
                    writes[k]++;
                }
                else
                {
                    sut.RecordRemove(keys[k]);
                    writes[k]++;
                }
            }
        });

        Assert.Equal(0, sut.Evictions);
        Assert.Equal(keyCount, sut.Count);
        for (int k = 0; k < keyCount; k++)
        {
            Assert.True(sut.TryGet(keys[k], out KeyAccessStatistics? statistics));
            Assert.Equal(readsIssued.Sum(r => r[k]), statistics.ReadCount);
            Assert.Equal(1 + writesIssued.Sum(w => w[k]), statistics.WriteVersion);
        }
    }

    [Fact]
    public void RecordRead_TrackedKeyAfterWarmUp_AllocatesNothing()
    {
        AccessTracker sut = CreateSut();
        string[] keys = ["a", "b", "c"];
        long now = Now;
        for (int i = 0; i < 1_000; i++)
        {
            // Warm-up: each key's successor array is allocated once, on its first link.
            sut.RecordRead(keys[i % keys.Length], true, 10, now++, out _);
        }

        Assert.Equal(0, Allocations.Fewest(() =>
        {
            for (int i = 0; i < 10_000; i++)
            {
                sut.RecordRead(keys[i % keys.Length], true, 10, now++, out _);
            }
        }));
    }

    private AccessTracker CreateSut(Action<TrackingOptions>? configure = null)
    {
        var options = new TrackingOptions();
        configure?.Invoke(options);
        return new AccessTracker(options);
    }

    private static SuccessorLink[] Successors(AccessTracker tracker, string key, int minimumCount = 2)
    {
        Assert.True(tracker.TryGet(key, out KeyAccessStatistics? statistics), key + " is not tracked.");
        var links = new SuccessorLink[16];
        int written = statistics.GetSuccessors(links, minimumCount);
        return links[..written];
    }
}
