namespace PredictiveCaching.Strategies;

/// <summary>The built-in prefetch strategies, from the most to the least willing to prefetch.</summary>
public enum PrefetchStrategyKind
{
    /// <summary>Low confidence threshold, long lookahead, large budget; for spare machines.</summary>
    Aggressive,

    /// <summary>The default balance of hit ratio and extra origin load.</summary>
    Balanced,

    /// <summary>High confidence threshold, short lookahead, small budget; for busy machines.</summary>
    Conservative,
}
