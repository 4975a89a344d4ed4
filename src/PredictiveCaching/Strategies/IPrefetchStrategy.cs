namespace PredictiveCaching.Strategies;

/// <summary>How willing the loader is to prefetch: the threshold, the horizon, the budget and the resource ceiling.</summary>
public interface IPrefetchStrategy
{
    /// <summary>Gets the strategy's name, unique among registered strategies (built-ins: Aggressive, Balanced, Conservative).</summary>
    string Name { get; }

    /// <summary>Gets the probability a prediction needs before its key is prefetched, in (0, 1].</summary>
    double ProbabilityThreshold { get; }

    /// <summary>Gets how far ahead reads are predicted; the byte budget applies per window of this length.</summary>
    TimeSpan LookaheadWindow { get; }

    /// <summary>Gets the most bytes prefetched within one lookahead window.</summary>
    long PrefetchBudgetBytes { get; }

    /// <summary>Gets the utilisation (memory, CPU or an application-defined resource) above which prefetching pauses, in (0, 1].</summary>
    double ResourceLimit { get; }
}
