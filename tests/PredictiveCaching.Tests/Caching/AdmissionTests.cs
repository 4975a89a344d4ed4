using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PredictiveCaching.Caching;
using PredictiveCaching.Loop.Candidates;
using PredictiveCaching.Loop.Outcomes;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Tests.Fakes;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Tests.Caching;

/// <summary>
/// The admission doorkeeper on the read path (<see cref="TrackingOptions.AdmissionReads"/>): a key read once takes no
/// entry and no bytes, while cache-aside writes, prefetches and hints keep the loop's view of a key as it was.
/// </summary>
public sealed class AdmissionTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Value = [1, 2, 3, 4, 5];

    private readonly FakeTimeProvider _time = new(Start);
    private readonly AccessTracker _tracker = new(new TrackingOptions());
    private readonly RecentReads _recent = new();

    [Fact]
    public void Get_KeyReadOnce_TakesNoEntry_SecondReadIsTracked()
    {
        PredictiveDistributedCache sut = CreateSut(new FakeDistributedCache());

        Assert.Null(sut.Get("k"));
        Assert.False(_tracker.TryGet("k", out _));
        Assert.Equal(0, _tracker.Count);

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(sut.Get("k"));

        Assert.True(_tracker.TryGet("k", out KeyAccessStatistics? k));
        Assert.Equal(1, k.ReadCount);
        Assert.Equal(Start.AddSeconds(2).UtcTicks, k.LastReadTicks);
    }

    [Fact]
    public void Get_AdmissionReadsOne_TracksTheFirstRead()
    {
        var tracker = new AccessTracker(new TrackingOptions { AdmissionReads = 1 });
        using var sut = new PredictiveDistributedCache(new FakeDistributedCache(), Recorder(tracker), ownsInner: false);

        sut.Get("k");

        Assert.True(tracker.TryGet("k", out _));
        Assert.Null(tracker.Admission);
    }

    [Fact]
    public void Read_KeysNotAdmitted_AllocateNothing()
    {
        using AccessRecorder recorder = Recorder(_tracker);
        string[] keys = Enumerable.Range(0, 5 * 2_000).Select(i => "stream:" + i).ToArray();
        int next = 0;

        long bytes = Allocations.Fewest(() =>
        {
            for (int i = 0; i < 2_000; i++)
            {
                recorder.Read(keys[next++], null);
            }
        });

        Assert.Equal(0, bytes);
        Assert.Equal(0, _tracker.Count);
    }

    [Fact]
    public void Get_StreamOfDistinctKeys_ThroughMemoryCache_AllocatesNothingPerRead()
    {
        var inner = new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions()));
        PredictiveDistributedCache sut = CreateSut(inner);
        string[] keys = Enumerable.Range(0, 5 * 2_000).Select(i => "stream:" + i).ToArray();
        int next = 0;

        long bytes = Allocations.Fewest(() =>
        {
            for (int i = 0; i < 2_000; i++)
            {
                sut.Get(keys[next++]);
            }
        });

        Assert.Equal(0, bytes);
    }

    [Fact]
    public void CacheAside_MissThenSetThenHit_KeyHasItsReadsCopyAndExpiry()
    {
        PredictiveDistributedCache sut = CreateSut(new FakeDistributedCache());

        Assert.Null(sut.Get("k"));
        sut.Set("k", Value, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(2) });

        // The write admitted the key and folded in the miss the doorkeeper saw: read once, copy present, expiry known.
        Assert.True(_tracker.TryGet("k", out KeyAccessStatistics? k));
        Assert.Equal(1, k.ReadCount);
        Assert.Equal(1, k.WriteVersion);
        Assert.True(k.IsPresent);
        Assert.Equal(Start.AddMinutes(2).UtcTicks, k.ExpectedExpiryTicks);

        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.NotNull(sut.Get("k"));

        Assert.Equal(2, k.ReadCount);
        Assert.Equal(1, k.HitCount);
        Assert.Equal(10d, k.MeanIntervalSeconds, 6);
    }

    [Fact]
    public void CountReads_ReadsNotAdmitted_AreCounted_AFoldedMissOnce()
    {
        var inner = new FakeDistributedCache();
        PredictiveDistributedCache sut = CreateSut(inner);
        inner.Set("elsewhere", Value, new DistributedCacheEntryOptions());

        sut.Get("elsewhere");
        sut.Get("once");
        sut.Get("aside");
        sut.Set("aside", Value, new DistributedCacheEntryOptions());
        sut.Get("aside");

        Assert.Equal((4L, 2L), _tracker.CountReads());
    }

    [Fact]
    public void Set_KeyNeverRead_IsTrackedWithoutAnInventedRead()
    {
        PredictiveDistributedCache sut = CreateSut(new FakeDistributedCache());

        sut.Set("k", Value, new DistributedCacheEntryOptions());

        Assert.True(_tracker.TryGet("k", out KeyAccessStatistics? k));
        Assert.Equal(0, k.ReadCount);
        Assert.True(k.IsPresent);
    }

    [Fact]
    public void Drain_ReadNotAdmitted_SeenByTheCycleOnceTheKeyHasAnEntry_DroppedOtherwise()
    {
        PredictiveDistributedCache sut = CreateSut(new FakeDistributedCache());
        sut.Get("written");
        sut.Get("once");
        sut.Set("written", Value, new DistributedCacheEntryOptions());

        var reads = new CycleReads();
        reads.DrainFrom(_recent, _tracker);

        ReadHint read = Assert.Single(reads.All);
        Assert.Equal("written", read.Entry.Key);
        Assert.Equal(Start.UtcTicks, read.Ticks);
    }

    [Fact]
    public async Task ExpectReads_HintedKeyNotPrefetched_FirstReadIsTracked()
    {
        await using LoopHarness h = LoopHarness.Create();
        AccessTracker tracker = h.Provider.GetRequiredService<AccessTracker>();

        // Below every threshold: hinted, not prefetched, and still let through the doorkeeper on its first read.
        h.Loader.ExpectReads(["asset:1"], probability: 0.05);
        await h.CycleAsync();
        await h.Cache.GetAsync("asset:1");

        Assert.True(tracker.TryGet("asset:1", out KeyAccessStatistics? entry));
        Assert.Equal(1, entry.ReadCount);
    }

    [Fact]
    public async Task Prefetch_KeyNeverRead_FirstReadCountsAsUsed()
    {
        await using LoopHarness h = LoopHarness.Create(o => o.Prefetch.MaxConcurrency = 8);
        h.Loader.ExpectReads(["asset:1"]);
        await h.CycleAsync();

        Assert.True(await h.ReadAsync("asset:1", TimeSpan.FromMinutes(1)));
        Assert.Equal(1, h.Loader.GetStatus().PrefetchesUsed);
    }

    [Fact]
    public void TryRecordRead_ScanOfOneReadKeysWithHotKeys_OneReadKeysTakeAlmostNoEntries_HotKeysKept()
    {
        const int bound = 100_000;
        const int hotKeys = 1_000;
        const int coldKeys = 2_000_000;
        const int coldPerHot = 10;
        var sut = new AccessTracker(new TrackingOptions { MaxTrackedKeys = bound });
        string[] hot = Enumerable.Range(0, hotKeys).Select(i => "hot:" + i).ToArray();
        int maxCount = 0;
        int hotIndex = 0;
        long now = Start.UtcTicks;
        for (int i = 0; i < coldKeys; i++)
        {
            sut.TryRecordRead("cold:" + i, true, 1, now, out _, out _);
            if (i % coldPerHot == 0)
            {
                sut.TryRecordRead(hot[hotIndex], true, 1, now, out _, out _);
                hotIndex = (hotIndex + 1) % hotKeys;
            }

            maxCount = Math.Max(maxCount, sut.Count);
            now += TimeSpan.TicksPerMillisecond;
        }

        Assert.InRange(maxCount, hotKeys, bound);
        Assert.All(hot, key => Assert.True(sut.TryGet(key, out _), key + " is not tracked."));

        // Cold keys admitted are the sketch's false positives: under 0.5 % of them.
        Assert.InRange(sut.Count - hotKeys + sut.Evictions, 0, coldKeys / 200);
    }

    [Fact]
    public void TryRecordRead_FourThreadsOfDistinctAndSharedKeys_SharedKeysTracked_CountsExact()
    {
        const int threads = 4;
        const int readsPerThread = 200_000;
        var sut = new AccessTracker(new TrackingOptions { MaxTrackedKeys = 10_000 });
        string[] shared = Enumerable.Range(0, 100).Select(i => "shared:" + i).ToArray();
        string[][] distinct = Enumerable.Range(0, threads)
            .Select(t => Enumerable.Range(0, readsPerThread).Select(i => $"t{t}:{i}").ToArray()).ToArray();

        // The sketch is lossy under races by design; what must hold is that nothing throws, tracked counts stay exact
        // and keys every thread keeps reading are admitted.
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            for (int i = 0; i < readsPerThread; i++)
            {
                sut.TryRecordRead(distinct[t][i], false, -1, i, out _, out _);
                sut.TryRecordRead(shared[i % shared.Length], true, 1, i, out _, out _);
            }
        });

        Assert.All(shared, key => Assert.True(sut.TryGet(key, out _), key + " is not tracked."));
        Assert.Equal((2L * threads * readsPerThread, (long)threads * readsPerThread), sut.CountReads());
    }

    private PredictiveDistributedCache CreateSut(IDistributedCache inner) => new(inner, Recorder(_tracker), ownsInner: false);

    private AccessRecorder Recorder(AccessTracker tracker) =>
        new(tracker, _time, new PrefetchPrecision(new PrefetchOptions()), _recent, new NoPrefetchCoordination());
}
