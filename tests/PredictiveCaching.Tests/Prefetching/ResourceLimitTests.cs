using Microsoft.Extensions.DependencyInjection;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Resources;
using PredictiveCaching.Tests.Fakes;
using PredictiveCaching.Tests.Resources;

namespace PredictiveCaching.Tests.Prefetching;

public sealed class ResourceLimitTests
{
    [Fact]
    public async Task RunCycle_ResourceAboveStrategyLimit_PausesUntilItFalls()
    {
        var queueDepth = new FakeResourceProbe("queue-depth", ResourceKind.Custom, 0.9);
        await using LoopHarness h = LoopHarness.Create(build: (b, _) => b.AddResourceProbe(queueDepth));
        ResourceMonitor monitor = h.Provider.GetRequiredService<ResourceMonitor>();
        monitor.SampleNow();

        await WarmUpSuccessorAsync(h);
        await h.Cache.GetAsync("a");
        PrefetchCycleResult paused = await h.CycleAsync();

        Assert.Equal(0, paused.Started);
        Assert.Contains("0.6", paused.PausedReason, StringComparison.Ordinal); // Balanced's limit
        Assert.Equal(paused.PausedReason, h.Loader.GetStatus().PausedReason);

        queueDepth.Value = 0.1;
        monitor.SampleNow();
        await h.Cache.GetAsync("a");
        PrefetchCycleResult resumed = await h.CycleAsync();

        Assert.Null(resumed.PausedReason);
        Assert.Equal(1, resumed.Started);
        Assert.Null(h.Loader.GetStatus().PausedReason);
    }

    [Fact]
    public async Task RunCycle_UnknownResources_DoNotPause()
    {
        var silent = new FakeResourceProbe("silent", ResourceKind.Memory); // NaN: cannot tell
        await using LoopHarness h = LoopHarness.Create(build: (b, _) => b.AddResourceProbe(silent));
        h.Provider.GetRequiredService<ResourceMonitor>().SampleNow();

        await WarmUpSuccessorAsync(h);
        await h.Cache.GetAsync("a");
        PrefetchCycleResult result = await h.CycleAsync();

        Assert.Null(result.PausedReason);
        Assert.Equal(1, result.Started);
    }

    private static async Task WarmUpSuccessorAsync(LoopHarness h)
    {
        // a is always followed by b, whose copy lives one second; cycles run with the probe as it is.
        for (int i = 0; i < 4; i++)
        {
            await h.ReadAsync("a", TimeSpan.FromMinutes(5));
            h.Time.Advance(TimeSpan.FromSeconds(1));
            await h.ReadAsync("b", TimeSpan.FromSeconds(1));
            h.Time.Advance(TimeSpan.FromSeconds(30));
        }
    }
}
