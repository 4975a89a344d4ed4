using Microsoft.Extensions.DependencyInjection;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Priorities;
using PredictiveCaching.Tests.Fakes;
using PredictiveCaching.Warming;

namespace PredictiveCaching.Tests.Prefetching;

public sealed class WarmingTests
{
    [Fact]
    public async Task RunRound_BudgetForOneKey_WarmsTheHighestPriorityFirst()
    {
        await using LoopHarness h = LoopHarness.Create(
            o =>
            {
                // Budget for one 32-byte value; the cap is raised from its default (an eighth of the budget) to let it in.
                o.Strategies.Balanced.PrefetchBudgetBytes = 40;
                o.Prefetch.MaxValueBytes = 40;
            },
            build: static (b, _) => b.SetPriority("vip:", PriorityLevel.Critical).SetPriority("cold:", PriorityLevel.Low));
        h.Origin.Size = 32;

        // Three keys with the same rhythm (every 100 s, 10 s copies); no cycles run, so only warming can help.
        string[] keys = ["cold:1", "vip:1", "plain:1"];
        for (int i = 0; i < 4; i++)
        {
            foreach (string key in keys)
            {
                await h.ReadAsync(key, TimeSpan.FromSeconds(10));
            }

            // After the last reads stop 60 s in: every next read is then due within the window.
            h.Time.Advance(TimeSpan.FromSeconds(i < 3 ? 100 : 60));
        }

        PrefetchCycleResult result = await h.Provider.GetRequiredService<WarmingService>().RunRoundAsync(CancellationToken.None);
        await h.Loader.WaitForPrefetchesAsync();

        Assert.Equal(1, result.Started);
        Assert.Equal(5, h.Origin.LoadsOf("vip:1"));
        Assert.Equal(4, h.Origin.LoadsOf("plain:1"));
        Assert.Equal(4, h.Origin.LoadsOf("cold:1"));
    }

    [Fact]
    public async Task RunRound_KeysReadOnce_AreNotWarmed()
    {
        await using LoopHarness h = LoopHarness.Create();
        await h.ReadAsync("once", TimeSpan.FromSeconds(10));
        h.Time.Advance(TimeSpan.FromMinutes(1));

        PrefetchCycleResult result = await h.Provider.GetRequiredService<WarmingService>().RunRoundAsync(CancellationToken.None);

        Assert.Equal(0, result.Candidates);
        Assert.Equal(0, result.Started);
    }
}
