namespace PredictiveCaching.Strategies;

/// <summary>
/// The built-in prefetch strategies, from the most to the least willing to prefetch. The default value is
/// <see cref="Balanced"/>, the strategy a host starts with.
/// </summary>
public enum PrefetchStrategyKind
{
    /// <summary>Low confidence threshold, long lookahead, large budget; for spare machines.</summary>
    Aggressive = -1,

    /// <summary>The default balance of hit ratio and extra origin load.</summary>
    Balanced = 0,

    /// <summary>High confidence threshold, short lookahead, small budget; for busy machines.</summary>
    Conservative = 1,
}
