using PredictiveCaching.Prefetching;
using PredictiveCaching.Strategies;

namespace PredictiveCaching.Loop;

/// <summary>What each stage of one cycle did with its candidates.</summary>
internal struct CycleTally
{
    public int Candidates;
    public int Scored;
    public int Started;
    public int Present;
    public int Deferred;
    public int BelowThreshold;
    public int NoSource;
    public int Budget;
    public int InFlight;
    public int Saturated;
    public int BreakerOpen;
    public int SourceBusy;
    public int Oversize;

    public readonly PrefetchCycleResult ToResult(IPrefetchStrategy strategy, string? paused) => new()
    {
        Strategy = strategy.Name,
        PausedReason = paused,
        Candidates = Candidates,
        Scored = Scored,
        Started = Started,
        SkippedPresent = Present,
        Deferred = Deferred,
        SkippedBelowThreshold = BelowThreshold,
        SkippedNoSource = NoSource,
        SkippedBudget = Budget,
        SkippedInFlight = InFlight,
        SkippedSaturated = Saturated,
        SkippedBreakerOpen = BreakerOpen,
        SkippedSourceBusy = SourceBusy,
        SkippedOversize = Oversize,
    };
}
