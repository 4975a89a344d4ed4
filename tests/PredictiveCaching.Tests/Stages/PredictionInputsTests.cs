using Microsoft.Extensions.DependencyInjection;
using PredictiveCaching.Features;
using PredictiveCaching.Prediction;
using PredictiveCaching.Strategies;
using PredictiveCaching.Tests.Fakes;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Tests.Stages;

/// <summary>
/// <see cref="IPredictionInputs"/>, the public view a training package reads the loop through: copies of the tracker's
/// figures and the strategy in use, never the tracker itself.
/// </summary>
public sealed class PredictionInputsTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task TrackedKey_StatisticsAndContext_AreCopiesOfTheTrackersFigures_WithTheStrategysWindow()
    {
        await using LoopHarness h = LoopHarness.Create();
        await h.ReadAsync("a", Ttl);
        await h.ReadAsync("a", Ttl);
        var inputs = h.Provider.GetRequiredService<IPredictionInputs>();
        IPrefetchStrategy strategy = h.Provider.GetRequiredService<StrategySelector>().Current;
        h.Provider.GetRequiredService<AccessTracker>().TryGet("a", out KeyAccessStatistics? entry);
        long now = h.Time.GetUtcNow().UtcTicks;

        Assert.True(inputs.TryGetStatistics("a", out KeyAccessSnapshot statistics));
        PredictionContext context = inputs.CreateContext("a", now);

        Assert.Equal(entry!.ReadCount, statistics.ReadCount);
        Assert.Equal(statistics.ReadCount, context.Statistics?.ReadCount);
        Assert.Equal(strategy.LookaheadWindow, inputs.LookaheadWindow);
        Assert.Equal(strategy.ProbabilityThreshold, inputs.ProbabilityThreshold);
        Assert.Equal(strategy.LookaheadWindow, context.Lookahead);
        Assert.Equal(now, context.NowTicks);
        Assert.False(context.IsSequential);
        Assert.Equal(1, inputs.TrackedKeyCount);
        Assert.Equal(["a"], inputs.EnumerateTrackedKeys());
    }

    [Fact]
    public async Task UntrackedKey_HasNoStatistics_AndItsContextSaysSo()
    {
        await using LoopHarness h = LoopHarness.Create();
        var inputs = h.Provider.GetRequiredService<IPredictionInputs>();

        Assert.False(inputs.TryGetStatistics("never", out _));
        Assert.Null(inputs.CreateContext("never", h.Time.GetUtcNow().UtcTicks).Statistics);
    }
}
