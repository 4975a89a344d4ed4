using PredictiveCaching.Prefetching;
using PredictiveCaching.Tests.Fakes;

namespace PredictiveCaching.Tests.Stages;

/// <summary>Application hints through <see cref="IPredictiveLoader.ExpectReads"/>: proposed, admitted and validated like any candidate.</summary>
public sealed class ApplicationHintsTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ExpectReads_KeysNeverRead_ArePrefetchedByTheNextCycle_AndTheirReadsHit()
    {
        await using LoopHarness h = LoopHarness.Create(o => o.Prefetch.MaxConcurrency = 8);

        Assert.Equal(3, h.Loader.ExpectReads(["asset:1", "asset:2", "asset:3"]));
        PrefetchCycleResult result = await h.CycleAsync();

        Assert.Equal(3, result.Started);
        Assert.Equal(1, h.Origin.LoadsOf("asset:2"));
        Assert.True(await h.ReadAsync("asset:1", Ttl));
        Assert.True(await h.ReadAsync("asset:2", Ttl));
        Assert.True(await h.ReadAsync("asset:3", Ttl));
        Assert.Equal(3, h.Loader.GetStatus().PrefetchesUsed);
    }

    [Fact]
    public async Task ExpectReads_KeyWhoseCopyIsPresent_IsNotLoadedAgain()
    {
        await using LoopHarness h = LoopHarness.Create();
        await h.ReadAsync("asset:1", Ttl);

        h.Loader.ExpectReads(["asset:1"]);
        PrefetchCycleResult result = await h.CycleAsync();

        Assert.Equal(0, result.Started);
        Assert.Equal(1, result.SkippedPresent);
        Assert.Equal(1, h.Origin.LoadsOf("asset:1"));
    }

    [Fact]
    public async Task ExpectReads_ProbabilityBelowTheStrategysThreshold_IsNotPrefetched()
    {
        await using LoopHarness h = LoopHarness.Create();

        h.Loader.ExpectReads(["asset:1"], probability: 0.05);
        PrefetchCycleResult result = await h.CycleAsync();

        Assert.Equal(1, result.SkippedBelowThreshold);
        Assert.Equal(0, h.Origin.LoadsOf("asset:1"));
    }

    [Fact]
    public async Task ExpectReads_IsTakenOnce()
    {
        await using LoopHarness h = LoopHarness.Create();
        h.Loader.ExpectReads(["asset:1"]);
        await h.CycleAsync();

        h.Time.Advance(TimeSpan.FromMinutes(10));
        PrefetchCycleResult later = await h.CycleAsync();

        Assert.Equal(0, later.Candidates);
        Assert.Equal(1, h.Origin.LoadsOf("asset:1"));
    }

    [Fact]
    public async Task ExpectReads_MoreThanTheQueueHolds_TakesWhatFits_AndSaysHowMany()
    {
        await using LoopHarness h = LoopHarness.Create();
        string[] keys = Enumerable.Range(0, 5_000).Select(i => "k" + i).ToArray();

        Assert.Equal(4_096, h.Loader.ExpectReads(keys));
        Assert.Equal(0, h.Loader.ExpectReads(["one-more"]));
        await h.CycleAsync();
        Assert.Equal(1, h.Loader.ExpectReads(["one-more"]));
    }

    [Fact]
    public async Task ExpectReads_BadArguments_ThrowNamingTheArgument()
    {
        await using LoopHarness h = LoopHarness.Create();

        Assert.Equal("keys", Assert.Throws<ArgumentNullException>(() => h.Loader.ExpectReads(null!)).ParamName);
        Assert.Equal("keys", Assert.Throws<ArgumentException>(() => h.Loader.ExpectReads(["a", ""])).ParamName);
        Assert.Equal("keys", Assert.Throws<ArgumentException>(() => h.Loader.ExpectReads([null!])).ParamName);
        foreach (double probability in new[] { 0d, -0.1, 1.01, double.NaN })
        {
            Assert.Equal("probability", Assert.Throws<ArgumentOutOfRangeException>(() => h.Loader.ExpectReads(["a"], probability)).ParamName);
        }
    }
}
