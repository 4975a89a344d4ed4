using PredictiveCaching.Priorities;
using PredictiveCaching.Strategies;

namespace PredictiveCaching.Tests.Strategies;

/// <summary>An enum's default value is the one a user means when setting nothing.</summary>
public sealed class EnumDefaultsTests
{
    [Fact]
    public void Defaults_AreTheDefaultStrategyAndTheDefaultPriority()
    {
        Assert.Equal(PrefetchStrategyKind.Balanced, default);
        Assert.Equal(PriorityLevel.Normal, default);
        Assert.True(PrefetchStrategyKind.Aggressive < PrefetchStrategyKind.Balanced && PrefetchStrategyKind.Balanced < PrefetchStrategyKind.Conservative);
        Assert.True(PriorityLevel.Low < PriorityLevel.Normal && PriorityLevel.High < PriorityLevel.Critical);
    }
}
