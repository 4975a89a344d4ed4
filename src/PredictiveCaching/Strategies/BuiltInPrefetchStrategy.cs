namespace PredictiveCaching.Strategies;

/// <summary>One of the three built-in strategies, with the numbers from <see cref="StrategyOptions"/>.</summary>
internal sealed class BuiltInPrefetchStrategy(PrefetchStrategyKind kind, PrefetchStrategyOptions options) : IPrefetchStrategy
{
    public PrefetchStrategyKind Kind { get; } = kind;

    public string Name { get; } = kind.ToString();

    public double ProbabilityThreshold { get; } = options.ProbabilityThreshold;

    public TimeSpan LookaheadWindow { get; } = options.LookaheadWindow;

    public long PrefetchBudgetBytes { get; } = options.PrefetchBudgetBytes;

    public double ResourceLimit { get; } = options.ResourceLimit;
}
