using Microsoft.Extensions.DependencyInjection;
using PredictiveCaching.Loop.Admission;
using PredictiveCaching.Loop.Execution;
using PredictiveCaching.Loop.Outcomes;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Tests.Fakes;

namespace PredictiveCaching.Tests.Prefetching;

public sealed class ValueSizeTests
{
    [Fact]
    public async Task ValueOverTheBudgetLeft_IsNotWrittenAndDoesNotBlockTheWindow()
    {
        // A 32 KiB value against an 8 KiB window budget: the 32-byte prediction fits, the real value does not.
        var source = new SizedSource();
        await using LoopHarness h = LoopHarness.Create(
            o =>
            {
                o.Strategies.Balanced.PrefetchBudgetBytes = 8 * 1024;
                o.Prefetch.MaxValueBytes = 1024 * 1024;
            },
            source.Register,
            defaultSource: false);
        var budget = h.Provider.GetRequiredService<PrefetchBudget>();
        await SetUpSuccessorAsync(h, "a", "b");
        long spentBefore = budget.SpentBytes;
        long completedBefore = h.Loader.GetStatus().PrefetchesCompleted;

        source.Size = 32 * 1024;
        await PrefetchAgainAsync(h, "a", "b");

        PrefetchStatistics statistics = h.Provider.GetRequiredService<PrefetchStatistics>();
        Assert.Equal(1, statistics.SkippedOversize);
        Assert.Equal(completedBefore, h.Loader.GetStatus().PrefetchesCompleted);
        Assert.Equal(spentBefore, budget.SpentBytes);
        Assert.NotEqual(32 * 1024, (await h.Inner.GetAsync("b"))?.Length ?? 0);

        // The window is not spent: other keys' values of the usual size are prefetched right after, in the same window.
        source.Size = 32;
        await SetUpSuccessorAsync(h, "c", "d");
        Assert.True(h.Loader.GetStatus().PrefetchesCompleted > completedBefore);

        // The key whose value was too large is now expected at its real size and not loaded again.
        int loads = source.LoadsOf("b");
        await h.Cache.GetAsync("a");
        await h.CycleAsync();
        Assert.Equal(loads, source.LoadsOf("b"));
    }

    [Fact]
    public async Task ValueOverTheCap_IsSkippedAsOversize_EvenWhenTheBudgetHasRoom()
    {
        var source = new SizedSource();
        await using LoopHarness h = LoopHarness.Create(
            o =>
            {
                o.Strategies.Balanced.PrefetchBudgetBytes = 1024 * 1024;
                o.Prefetch.MaxValueBytes = 100;
            },
            source.Register,
            defaultSource: false);
        await SetUpSuccessorAsync(h, "a", "b");

        source.Size = 101;
        await PrefetchAgainAsync(h, "a", "b");

        Assert.Equal(1, h.Provider.GetRequiredService<PrefetchStatistics>().SkippedOversize);
        Assert.Null(await h.Inner.GetAsync("b"));
    }

    [Fact]
    public async Task DefaultCap_IsAnEighthOfTheStrategyBudget()
    {
        var source = new SizedSource();
        await using LoopHarness h = LoopHarness.Create(o => o.Strategies.Balanced.PrefetchBudgetBytes = 8000, source.Register, defaultSource: false);
        await SetUpSuccessorAsync(h, "a", "b");
        PrefetchStatistics statistics = h.Provider.GetRequiredService<PrefetchStatistics>();

        source.Size = 1000;
        await PrefetchAgainAsync(h, "a", "b");
        Assert.Equal(0, statistics.SkippedOversize);

        source.Size = 1001;
        await PrefetchAgainAsync(h, "a", "b");
        Assert.Equal(1, statistics.SkippedOversize);
    }

    private static async Task PrefetchAgainAsync(LoopHarness h, string first, string second)
    {
        await h.Inner.RemoveAsync(second);
        await h.Cache.GetAsync(first);
        PrefetchCycleResult result = await h.CycleAsync();
        Assert.Equal(1, result.Started);
    }

    private static async Task SetUpSuccessorAsync(LoopHarness h, string first, string second)
    {
        await h.LearnSuccessorAsync(first, second);
        h.Time.Advance(TimeSpan.FromSeconds(2)); // let the copy prefetched during set-up expire
    }

    /// <summary>Loads values of the size the test sets.</summary>
    private sealed class SizedSource
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _loads = new(StringComparer.Ordinal);

        public int Size { get; set; } = 32;

        public int LoadsOf(string key) => _loads.TryGetValue(key, out int n) ? n : 0;

        public void Register(IPredictiveLoadingBuilder builder, FakeOrigin origin) =>
            builder.AddSource(static _ => true, (key, _) =>
            {
                _loads.AddOrUpdate(key, 1, static (_, n) => n + 1);
                return ValueTask.FromResult<PrefetchedValue?>(new PrefetchedValue(new byte[Size]));
            });
    }
}
