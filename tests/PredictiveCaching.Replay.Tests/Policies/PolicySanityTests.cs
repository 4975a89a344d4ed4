using PredictiveCaching.Replay.Readers;
using PredictiveCaching.Replay.Reporting;
using PredictiveCaching.Replay.Synthetic;

namespace PredictiveCaching.Replay.Tests.Policies;

public class PolicySanityTests
{
    // Twenty minutes of the synthetic workload: every structure shows, and the seven policies replay in about a second.
    private static readonly SyntheticWorkloadOptions ShortWorkload = new() { DurationSeconds = 1200 };

    [Fact]
    public async Task Replay_SyntheticWorkload_OracleBeatsPredictiveBeatsNone()
    {
        IReadOnlyList<TraceRequest> trace = SyntheticWorkload.Generate(ShortWorkload);
        var replayer = new Replayer(() => trace, new ReplaySettings());
        IReadOnlyList<PolicyResult> results = await replayer.RunAsync(["none", "predictive-balanced", "oracle"]);
        PolicyResult none = results[0], predictive = results[1], oracle = results[2];

        Assert.True(oracle.Hits >= predictive.Hits, $"oracle {oracle.Hits} < predictive {predictive.Hits}");
        Assert.True(predictive.Hits > none.Hits, $"predictive {predictive.Hits} <= none {none.Hits}");
        Assert.Equal(none.Reads, predictive.Reads);
        Assert.Equal(0, oracle.PrefetchesWasted);

        // The oracle avoids every miss but the first request of each key.
        Assert.Equal(oracle.CompulsoryMisses, oracle.Misses);
    }

    [Fact]
    public async Task Replay_Successor_LearnsSessionsAndPages()
    {
        var options = new SyntheticWorkloadOptions { DurationSeconds = 1200, PeriodicKeys = 0, ZipfKeys = 1, NoisePerSecond = 0 };
        IReadOnlyList<TraceRequest> trace = SyntheticWorkload.Generate(options);
        IReadOnlyList<PolicyResult> results = await new Replayer(() => trace, new ReplaySettings()).RunAsync(["none", "successor"]);
        Assert.True(results[1].Misses < results[0].Misses * 0.8, $"successor {results[1].Misses} vs none {results[0].Misses}");
        Assert.True(results[1].Precision > 0.8, $"precision {results[1].Precision}");
    }

    [Fact]
    public async Task RefreshAhead_ReadsLateInTheTtl_KeepTheCopyFresh()
    {
        // TTL 100 s, a read every 95 s: without refresh the copy written at 0 is gone at 190, so every other read misses;
        // refresh-ahead reloads at 95 (past 0.9 × 100 s) and every read after the first hits.
        TraceRequest[] trace = ReadEvery95SecondsTtl100();
        IReadOnlyList<PolicyResult> results = await new Replayer(() => trace, new ReplaySettings()).RunAsync(["none", "refresh-ahead"]);
        Assert.Equal(10, results[0].Misses);
        Assert.Equal(1, results[1].Misses);
        Assert.Equal(19, results[1].Prefetches);
    }

    [Fact]
    public async Task RefreshAheadBudget_HeldToItsBytesPerWindow()
    {
        // The trace above with 10-byte values and a budget of 30 bytes per the Balanced window (300 s): the reloads at
        // 95, 190 and 285 spend it, the one due at 380 is refused, the copy expires at 385 and the read at 475 misses;
        // by 570 the first two reloads have left the window. Every 475 s: one miss, three reloads.
        TraceRequest[] trace = ReadEvery95SecondsTtl100();
        IReadOnlyList<PolicyResult> results = await new Replayer(() => trace, new ReplaySettings { BudgetBytes = 30 })
            .RunAsync(["refresh-ahead", "refresh-ahead-budget"]);
        Assert.Equal("refresh-ahead-budget", results[1].Policy);
        Assert.Equal((1, 19), (results[0].Misses, results[0].Prefetches));
        Assert.Equal((4, 12), (results[1].Misses, results[1].Prefetches));
    }

    [Fact]
    public async Task RefreshAheadBudget_WithRoomToSpare_IsRefreshAhead()
    {
        // Balanced's own budget (50 MiB per 300 s) never binds on 10-byte values.
        TraceRequest[] trace = ReadEvery95SecondsTtl100();
        IReadOnlyList<PolicyResult> results = await new Replayer(() => trace, new ReplaySettings()).RunAsync(["refresh-ahead@0.8", "refresh-ahead-budget@0.8"]);
        Assert.Equal((results[0].Misses, results[0].Prefetches), (results[1].Misses, results[1].Prefetches));
    }

    [Fact]
    public async Task RefreshAhead_ReadsEarlyInTheTtl_ReloadNothing()
    {
        TraceRequest[] trace = [.. Enumerable.Range(0, 20).Select(i => new TraceRequest(i * 10, "k", 10, 300, TraceOperation.Read))];
        PolicyResult result = await new Replayer(() => trace, new ReplaySettings()).RunOneAsync("refresh-ahead");
        Assert.Equal(1, result.Misses);
        Assert.Equal(0, result.Prefetches);
        Assert.Equal(result.Misses, result.OriginLoads);
    }

    [Fact]
    public async Task Replay_WritesAndDeletes_AreApplied()
    {
        TraceRequest[] trace =
        [
            new(0, "a", 10, 0, TraceOperation.Write),
            new(1, "a", 10, 0, TraceOperation.Read),
            new(2, "a", 10, 0, TraceOperation.Delete),
            new(3, "a", 10, 0, TraceOperation.Read),
            new(400, "a", 10, 0, TraceOperation.Read),
        ];
        PolicyResult result = await new Replayer(() => trace, new ReplaySettings()).RunOneAsync("none");
        Assert.Equal(3, result.Reads);
        Assert.Equal(1, result.Hits);
        Assert.Equal(1, result.Writes);
        Assert.Equal(1, result.Deletes);
        Assert.Equal(0, result.CompulsoryMisses);
        Assert.Equal(2, result.OriginLoads);
    }

    [Fact]
    public async Task Replay_CapacityBound_EvictsLeastRecentlyUsed()
    {
        TraceRequest[] trace = [new(0, "a", 1, 0, TraceOperation.Read), new(1, "b", 1, 0, TraceOperation.Read), new(2, "a", 1, 0, TraceOperation.Read), new(3, "c", 1, 0, TraceOperation.Read), new(4, "a", 1, 0, TraceOperation.Read), new(5, "b", 1, 0, TraceOperation.Read)];
        PolicyResult result = await new Replayer(() => trace, new ReplaySettings { CacheCapacity = 2 }).RunOneAsync("none");
        Assert.Equal(2, result.Hits);
        Assert.Equal(2, result.Evictions);
    }

    [Fact]
    public async Task Replay_ByteCapacity_EvictsByTheTraceSizes()
    {
        // 600 + 500 bytes exceed the 1,000-byte bound, so b evicts a; c (300) fits beside b, b hits; a misses again and
        // evicts c (least recent) and then b, since 600 + 500 still exceed the bound.
        TraceRequest[] trace = [new(0, "a", 600, 0, TraceOperation.Read), new(1, "b", 500, 0, TraceOperation.Read), new(2, "c", 300, 0, TraceOperation.Read), new(3, "b", 500, 0, TraceOperation.Read), new(4, "a", 600, 0, TraceOperation.Read)];
        PolicyResult result = await new Replayer(() => trace, new ReplaySettings { CacheCapacityBytes = 1000 }).RunOneAsync("none");
        Assert.Equal(1, result.Hits);
        Assert.Equal(4, result.Misses);
        Assert.Equal(3, result.Evictions);
    }

    [Fact]
    public async Task Replay_ByteCapacity_CountsObjectsLargerThanAValueArray()
    {
        // Values are arrays capped at 1 MiB; the bound must count the trace's 10 MB, or both objects would fit in 12 MB.
        TraceRequest[] trace = [new(0, "a", 10_000_000, 0, TraceOperation.Read), new(1, "b", 10_000_000, 0, TraceOperation.Read), new(2, "a", 10_000_000, 0, TraceOperation.Read)];
        PolicyResult result = await new Replayer(() => trace, new ReplaySettings { CacheCapacityBytes = 12_000_000 }).RunOneAsync("none");
        Assert.Equal(0, result.Hits);
        Assert.Equal(2, result.Evictions);
    }

    [Fact]
    public async Task Successor_PageThenImage_PrefetchesTheImageFromTheLibrarysLinks()
    {
        // Names without numbers, so only the library's successor links (made in its cycle) can predict the image.
        TraceRequest[] trace = [.. Enumerable.Range(0, 10).SelectMany(i => new TraceRequest[]
        {
            new(i * 400, "/ksc.html", 7000, 0, TraceOperation.Read),
            new((i * 400) + 3, "/images/ksclogo-medium.gif", 5000, 0, TraceOperation.Read),
        })];
        IReadOnlyList<PolicyResult> results = await new Replayer(() => trace, new ReplaySettings()).RunAsync(["none", "successor"]);
        Assert.Equal(20, results[0].Misses);
        Assert.True(results[1].Misses <= 13, $"successor missed {results[1].Misses} of 20");
        Assert.Equal(0, results[1].PrefetchesWasted);
    }

    // One key read every 95 s, its copies living 100 s: 20 reads of 10-byte values.
    private static TraceRequest[] ReadEvery95SecondsTtl100() =>
        [.. Enumerable.Range(0, 20).Select(i => new TraceRequest(i * 95, "k", 10, 100, TraceOperation.Read))];
}
