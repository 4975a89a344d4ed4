using Microsoft.Extensions.Options;
using PredictiveCaching.Loop.Outcomes;
using PredictiveCaching.Loop.Scoring;
using PredictiveCaching.Prediction;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Resources;
using PredictiveCaching.Strategies;

namespace PredictiveCaching.Loop.Admission;

/// <summary>What admission said of one ranked candidate.</summary>
internal enum AdmissionResult
{
    /// <summary>Its predicted size is reserved in the byte budget.</summary>
    Reserved,

    /// <summary>Its predicted size is above what one prefetch may write.</summary>
    Oversize,

    /// <summary>The window's byte budget cannot take it now (spent, or paced).</summary>
    Budget,
}

/// <summary>
/// The admission stage, the strategy in one place: whether prefetching may run at all (the resource gate), which scored
/// candidates clear the probability threshold, the order they start in, and the byte budget each start reserves.
/// </summary>
internal sealed class PrefetchAdmission(PrefetchBudget budget, PrefetchPrecision accuracy, IOptions<PredictiveLoadingOptions> options)
{
    // Once half the budget is spent, one prefetch may take at most this fraction of what is left, times its probability.
    private const double BudgetPacingShare = 4d;

    private readonly PrefetchOptions _options = options.Value.Prefetch;

    /// <summary>Returns why prefetching must pause now (a resource above the strategy's limit), or null.</summary>
    public static string? PauseReason(ResourceSnapshot resources, IPrefetchStrategy strategy)
    {
        double limit = strategy.ResourceLimit;
        if (resources.Memory > limit)
        {
            return FormattableString.Invariant($"memory {resources.Memory:0.00} is above the {strategy.Name} limit {limit}");
        }

        if (resources.Cpu > limit)
        {
            return FormattableString.Invariant($"CPU {resources.Cpu:0.00} is above the {strategy.Name} limit {limit}");
        }

        if (resources.Custom > limit)
        {
            return FormattableString.Invariant($"an application resource ({resources.Custom:0.00}) is above the {strategy.Name} limit {limit}");
        }

        return null;
    }

    /// <summary>
    /// Adds <paramref name="scored"/> to <paramref name="ranked"/> when its probability clears the strategy's threshold,
    /// ranked by confidence (the cycle) or by probability × priority (warming).
    /// </summary>
    /// <returns>Whether it cleared the threshold.</returns>
    public bool TryRank(in ScoredCandidate scored, IPrefetchStrategy strategy, ResourceSnapshot resources, bool rankByPriority, List<RankedCandidate> ranked)
    {
        AccessPrediction prediction = scored.Prediction;
        if (prediction.Probability < strategy.ProbabilityThreshold)
        {
            return false;
        }

        double rank = rankByPriority
            ? prediction.Probability * scored.Priority
            : PredictionConfidence.Compute(prediction.Probability, accuracy.RecentPrecision, resources, scored.Priority, scored.Candidate.IsSequential, prediction.PredictedSizeBytes);
        ranked.Add(new RankedCandidate(scored, rank));
        return true;
    }

    /// <summary>Puts the ranked candidates in the order they start: highest rank first.</summary>
    public static void Order(List<RankedCandidate> ranked) => ranked.Sort(static (a, b) => b.Rank.CompareTo(a.Rank));

    /// <summary>Reserves the candidate's predicted size in the window's byte budget, when it fits and is paced.</summary>
    public AdmissionResult TryReserve(in RankedCandidate ranked, long nowTicks, IPrefetchStrategy strategy)
    {
        AccessPrediction prediction = ranked.Scored.Prediction;
        long size = prediction.PredictedSizeBytes;
        long budgetBytes = strategy.PrefetchBudgetBytes;
        if (size > _options.ValueCapFor(budgetBytes))
        {
            return AdmissionResult.Oversize;
        }

        // Pacing, so that a few large values cannot spend what many small ones later in the window would use.
        long remaining = budget.Remaining(nowTicks, strategy.LookaheadWindow, budgetBytes);
        if ((remaining < budgetBytes / 2 && size > remaining * prediction.Probability / BudgetPacingShare)
            || !budget.TryReserve(size, nowTicks, strategy.LookaheadWindow, budgetBytes))
        {
            return AdmissionResult.Budget;
        }

        return AdmissionResult.Reserved;
    }

    /// <summary>Gives back a reservation whose prefetch did not start.</summary>
    public void Release(long bytes) => budget.Release(bytes);
}
