using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using PredictiveCaching.Loop.Outcomes;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Resources;
using PredictiveCaching.Strategies;

namespace PredictiveCaching.Tests.Strategies;

public sealed class StrategySelectorTests
{
    private static readonly ResourceSnapshot Idle = Snapshot(memory: 0.1, cpu: 0.1);

    [Fact]
    public void Update_MemoryAboveThreshold_StepsTowardsConservativeAndLogs()
    {
        var logger = new FakeLogger<StrategySelector>();
        StrategySelector sut = CreateSut(logger: logger);

        Assert.True(sut.Update(Snapshot(memory: 0.85, cpu: 0.1), Accuracy(used: 0, wasted: 0)));

        Assert.Equal("Conservative", sut.Current.Name);
        Assert.Equal(1, sut.Changes);
        Assert.Contains("memory 0.85 is above 0.8", logger.LatestRecord.Message, StringComparison.Ordinal);

        // Already at the bottom: pressure keeps it there without counting a change.
        Assert.False(sut.Update(Snapshot(memory: 0.85, cpu: 0.1), Accuracy(0, 0)));
        Assert.Equal(1, sut.Changes);
    }

    [Theory]
    [InlineData(0.1, 0.75, 0.1, 0.1)]
    [InlineData(0.1, 0.1, 0.65, 0.1)]
    [InlineData(0.1, 0.1, 0.1, 0.55)]
    public void Update_CpuIoOrNetworkAboveThreshold_StepsDown(double memory, double cpu, double io, double network)
    {
        StrategySelector sut = CreateSut();
        var snapshot = new ResourceSnapshot(1, memory, cpu, io, double.NaN, network, double.NaN, double.NaN);

        Assert.True(sut.Update(snapshot, Accuracy(0, 0)));
        Assert.Equal("Conservative", sut.Current.Name);
    }

    [Fact]
    public void Update_LowPrecision_StepsDown()
    {
        StrategySelector sut = CreateSut();
        Assert.True(sut.Update(Idle, Accuracy(used: 5, wasted: 20)));
        Assert.Equal("Conservative", sut.Current.Name);
    }

    [Fact]
    public void Update_IdleAndHighPrecision_StepsUp()
    {
        StrategySelector sut = CreateSut();
        Assert.True(sut.Update(Idle, Accuracy(used: 30, wasted: 2)));
        Assert.Equal("Aggressive", sut.Current.Name);
    }

    [Fact]
    public void Update_TooFewOutcomes_StaysPut()
    {
        StrategySelector sut = CreateSut();
        Assert.False(sut.Update(Idle, Accuracy(used: 10, wasted: 0)));
        Assert.Equal("Balanced", sut.Current.Name);
    }

    [Fact]
    public void Update_Pinned_NeverChanges()
    {
        StrategySelector sut = CreateSut(o => o.Strategies.Adaptive = false);
        Assert.False(sut.Update(Snapshot(memory: 0.95, cpu: 0.95), Accuracy(0, 30)));
        Assert.Equal("Balanced", sut.Current.Name);
    }

    [Fact]
    public void Constructor_CustomStrategyNamed_IsUsedAndPinned()
    {
        StrategySelector sut = CreateSut(o => o.Strategies.Custom = "Nightly", custom: [new NightlyStrategy()]);
        Assert.Equal("Nightly", sut.Current.Name);
        Assert.False(sut.IsAdaptive);
    }

    [Fact]
    public void Constructor_CustomStrategyMissing_ThrowsNamingTheOption()
    {
        var error = Assert.Throws<InvalidOperationException>(() => CreateSut(o => o.Strategies.Custom = "Nightly"));
        Assert.Contains("PredictiveLoading:Strategies:Custom names 'Nightly'", error.Message, StringComparison.Ordinal);
    }

    private static StrategySelector CreateSut(
        Action<PredictiveLoadingOptions>? configure = null,
        IEnumerable<IPrefetchStrategy>? custom = null,
        FakeLogger<StrategySelector>? logger = null)
    {
        var options = new PredictiveLoadingOptions();
        configure?.Invoke(options);
        return new StrategySelector(Options.Create(options), custom ?? [], logger ?? new FakeLogger<StrategySelector>());
    }

    private static PrefetchPrecision Accuracy(int used, int wasted)
    {
        var accuracy = new PrefetchPrecision(new PrefetchOptions());
        for (int i = 0; i < used; i++)
        {
            accuracy.RecordUsed();
        }

        for (int i = 0; i < wasted; i++)
        {
            accuracy.RecordWasted();
        }

        return accuracy;
    }

    private static ResourceSnapshot Snapshot(double memory, double cpu) =>
        new(1, memory, cpu, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);

    private sealed class NightlyStrategy : IPrefetchStrategy
    {
        public string Name => "Nightly";

        public double ProbabilityThreshold => 0.3;

        public TimeSpan LookaheadWindow => TimeSpan.FromHours(1);

        public long PrefetchBudgetBytes => 1L << 30;

        public double ResourceLimit => 0.9;
    }
}
