using System.Diagnostics;

namespace PredictiveCaching.Prefetching;

/// <summary>What one prefetch cycle (or warming batch) did with its candidates.</summary>
public sealed record PrefetchCycleResult
{
    /// <summary>Gets the strategy in force during the cycle.</summary>
    public required string Strategy { get; init; }

    /// <summary>Gets why prefetching was paused, or <see langword="null"/> when it ran.</summary>
    public string? PausedReason { get; init; }

    /// <summary>Gets how many distinct keys were proposed.</summary>
    public int Candidates { get; init; }

    /// <summary>Gets how many candidates were scored by the predictor.</summary>
    public int Scored { get; init; }

    /// <summary>Gets how many prefetches started.</summary>
    public int Started { get; init; }

    /// <summary>Gets how many candidates still had a copy that would serve the predicted read.</summary>
    public int SkippedPresent { get; init; }

    /// <summary>Gets how many candidates were scheduled for later because their read was not yet near.</summary>
    public int Deferred { get; init; }

    /// <summary>Gets how many candidates scored below the strategy's threshold.</summary>
    public int SkippedBelowThreshold { get; init; }

    /// <summary>Gets how many candidates had no source that could load them.</summary>
    public int SkippedNoSource { get; init; }

    /// <summary>Gets how many candidates did not fit the byte budget of the window.</summary>
    public int SkippedBudget { get; init; }

    /// <summary>Gets how many candidates were already being prefetched.</summary>
    public int SkippedInFlight { get; init; }

    /// <summary>Gets how many candidates found every prefetch slot taken.</summary>
    public int SkippedSaturated { get; init; }

    /// <summary>Gets how many candidates were skipped because their source's circuit breaker was open.</summary>
    public int SkippedBreakerOpen { get; init; }

    /// <summary>Gets how many candidates found their source at its own concurrency limit (<see cref="PrefetchOptions.MaxConcurrencyPerSource"/>).</summary>
    public int SkippedSourceBusy { get; init; }

    /// <summary>
    /// Gets how many candidates were expected to be larger than the per-value cap (<see cref="PrefetchOptions.MaxValueBytes"/>).
    /// Values found too large only once loaded are counted in the statistics and metrics, not here.
    /// </summary>
    public int SkippedOversize { get; init; }

    /// <summary>Tags <paramref name="activity"/> with what the cycle did, when a listener asked for its data.</summary>
    internal void Tag(Activity? activity)
    {
        if (activity is null || !activity.IsAllDataRequested)
        {
            return;
        }

        activity.SetTag("predictive_caching.strategy", Strategy);
        activity.SetTag("predictive_caching.candidates", Candidates);
        activity.SetTag("predictive_caching.scored", Scored);
        activity.SetTag("predictive_caching.started", Started);
        if (PausedReason is { } paused)
        {
            activity.SetTag("predictive_caching.paused_reason", paused);
        }
    }
}
