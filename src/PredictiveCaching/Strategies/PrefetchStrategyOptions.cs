namespace PredictiveCaching.Strategies;

/// <summary>The numbers that make up one prefetch strategy.</summary>
public sealed class PrefetchStrategyOptions
{
    /// <summary>
    /// Gets or sets the probability of a read within the lookahead window that a prediction needs before its key is
    /// prefetched. (Configuration files may still say <c>ConfidenceThreshold</c>: it is read, with a deprecation warning.)
    /// </summary>
    /// <value>In (0, 1].</value>
    public double ProbabilityThreshold { get; set; }

    /// <summary>Gets or sets how far ahead reads are predicted; also the window the byte budget applies to.</summary>
    /// <value>From 1 second to 1 day.</value>
    public TimeSpan LookaheadWindow { get; set; }

    /// <summary>Gets or sets the most bytes prefetched within one lookahead window.</summary>
    /// <value>At least 1.</value>
    public long PrefetchBudgetBytes { get; set; }

    /// <summary>Gets or sets the resource utilisation (memory or CPU, whichever is higher) above which prefetching pauses.</summary>
    /// <value>In (0, 1].</value>
    public double ResourceLimit { get; set; }

    internal static PrefetchStrategyOptions AggressiveDefaults() => new()
    {
        ProbabilityThreshold = 0.5,
        LookaheadWindow = TimeSpan.FromSeconds(600),
        PrefetchBudgetBytes = 100L * 1024 * 1024,
        ResourceLimit = 0.8,
    };

    internal static PrefetchStrategyOptions BalancedDefaults() => new()
    {
        ProbabilityThreshold = 0.7,
        LookaheadWindow = TimeSpan.FromSeconds(300),
        PrefetchBudgetBytes = 50L * 1024 * 1024,
        ResourceLimit = 0.6,
    };

    internal static PrefetchStrategyOptions ConservativeDefaults() => new()
    {
        ProbabilityThreshold = 0.9,
        LookaheadWindow = TimeSpan.FromSeconds(120),
        PrefetchBudgetBytes = 20L * 1024 * 1024,
        ResourceLimit = 0.4,
    };
}
