using PredictiveCaching.Validation;

namespace PredictiveCaching.Strategies;

/// <summary>The numbers that make up one prefetch strategy.</summary>
public sealed class PrefetchStrategyOptions
{
    /// <summary>
    /// Gets or sets the probability of a read within the lookahead window that a prediction needs before its key is
    /// prefetched. (Configuration files may still say <c>ConfidenceThreshold</c>: it is read, with a deprecation warning.)
    /// </summary>
    /// <value>Defaults 0.5 / 0.7 / 0.9 (aggressive / balanced / conservative).</value>
    [OptionRange(0d, 1d, MinimumIsExclusive = true)]
    public double ProbabilityThreshold { get; set; }

    /// <summary>Gets or sets how far ahead reads are predicted; also the window the byte budget applies to.</summary>
    /// <value>Defaults 600 / 300 / 120 seconds.</value>
    [DurationRange("00:00:01", "1.00:00:00")]
    public TimeSpan LookaheadWindow { get; set; }

    /// <summary>Gets or sets the most bytes prefetched within one lookahead window.</summary>
    /// <value>Defaults 100 / 50 / 20 MiB.</value>
    [OptionRange(1L, long.MaxValue)]
    public long PrefetchBudgetBytes { get; set; }

    /// <summary>Gets or sets the resource utilisation (memory or CPU, whichever is higher) above which prefetching pauses.</summary>
    /// <value>Defaults 0.8 / 0.6 / 0.4.</value>
    [OptionRange(0d, 1d, MinimumIsExclusive = true)]
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
