using Microsoft.Extensions.Options;
using PredictiveCaching.Loop.Admission;
using PredictiveCaching.Loop.Candidates;
using PredictiveCaching.Loop.Outcomes;
using PredictiveCaching.Loop.Scoring;
using PredictiveCaching.Prediction;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Resources;
using PredictiveCaching.Strategies;

namespace PredictiveCaching.Tests.Stages;

/// <summary>The admission stage alone: threshold, order, value cap, budget and pacing, resource gate.</summary>
public sealed class PrefetchAdmissionTests
{
    private const long Budget = 8_000;
    private static readonly ResourceSnapshot Idle = new(1, 0.1, 0.1, 0, 0, 0, 0, 0);
    private static readonly Strategy Balanced = new(Threshold: 0.5, BudgetBytes: Budget, Limit: 0.8);

    [Fact]
    public void TryRank_BelowTheThreshold_IsNotRanked_AtIt_IsRanked()
    {
        PrefetchAdmission admission = Create(out _);
        var ranked = new List<RankedCandidate>();

        Assert.False(admission.TryRank(Scored("low", 0.49, 10), Balanced, Idle, rankByPriority: false, ranked));
        Assert.True(admission.TryRank(Scored("at", 0.5, 10), Balanced, Idle, rankByPriority: false, ranked));

        RankedCandidate only = Assert.Single(ranked);
        Assert.Equal("at", only.Scored.Candidate.Key);
    }

    [Fact]
    public void TryRank_ByPriority_RanksByProbabilityTimesPriority_AndOrderPutsTheHighestFirst()
    {
        PrefetchAdmission admission = Create(out _);
        var ranked = new List<RankedCandidate>();
        admission.TryRank(Scored("likely-low", 0.9, 10, priority: 0.2), Balanced, Idle, rankByPriority: true, ranked);
        admission.TryRank(Scored("less-likely-critical", 0.6, 10, priority: 1.0), Balanced, Idle, rankByPriority: true, ranked);

        PrefetchAdmission.Order(ranked);

        Assert.Equal(["less-likely-critical", "likely-low"], ranked.ConvertAll(r => r.Scored.Candidate.Key));
        Assert.Equal(0.6, ranked[0].Rank, 9);
        Assert.Equal(0.18, ranked[1].Rank, 9);
    }

    [Fact]
    public void TryRank_ByConfidence_LargerValuesRankLower()
    {
        PrefetchAdmission admission = Create(out _);
        var ranked = new List<RankedCandidate>();
        admission.TryRank(Scored("large", 0.9, 900_000_000), Balanced, Idle, rankByPriority: false, ranked);
        admission.TryRank(Scored("small", 0.9, 10), Balanced, Idle, rankByPriority: false, ranked);

        PrefetchAdmission.Order(ranked);

        Assert.Equal("small", ranked[0].Scored.Candidate.Key);
    }

    [Fact]
    public void TryReserve_AboveAnEighthOfTheBudget_IsOversize_AndReservesNothing()
    {
        PrefetchAdmission admission = Create(out PrefetchBudget budget);

        Assert.Equal(AdmissionResult.Oversize, admission.TryReserve(Ranked("big", 1.0, (Budget / 8) + 1), 0, Balanced));
        Assert.Equal(Budget, budget.Remaining(0, TimeSpan.FromMinutes(5), Budget));
    }

    [Fact]
    public void TryReserve_ReservesUntilTheBudgetIsSpent_AndReleaseGivesTheBytesBack()
    {
        PrefetchAdmission admission = Create(out PrefetchBudget budget);
        int reserved = 0;
        while (admission.TryReserve(Ranked("k" + reserved, 1.0, 250), 0, Balanced) == AdmissionResult.Reserved)
        {
            reserved++;
        }

        // Paced to the end: 250 bytes fit while a quarter of what is left is at least 250.
        Assert.Equal(29, reserved);
        Assert.Equal(750, budget.Remaining(0, TimeSpan.FromMinutes(5), Budget));

        admission.Release(250);
        Assert.Equal(1_000, budget.Remaining(0, TimeSpan.FromMinutes(5), Budget));
    }

    [Fact]
    public void TryReserve_PastHalfTheBudget_PacesLargeValuesButAdmitsSmallOnes()
    {
        PrefetchAdmission admission = Create(out _);
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(AdmissionResult.Reserved, admission.TryReserve(Ranked("k" + i, 1.0, 1_000), 0, Balanced));
        }

        // 3,000 left: one prefetch may take at most 3,000 × p / 4.
        Assert.Equal(AdmissionResult.Budget, admission.TryReserve(Ranked("paced", 0.8, 700), 0, Balanced));
        Assert.Equal(AdmissionResult.Reserved, admission.TryReserve(Ranked("fits", 0.8, 600), 0, Balanced));
    }

    [Fact]
    public void PauseReason_NamesTheResourceAboveTheStrategysLimit()
    {
        Assert.Null(PrefetchAdmission.PauseReason(Idle, Balanced));
        Assert.Contains("CPU 0.95", PrefetchAdmission.PauseReason(new ResourceSnapshot(1, 0.1, 0.95, 0, 0, 0, 0, 0), Balanced), StringComparison.Ordinal);
        Assert.Contains("memory 0.90", PrefetchAdmission.PauseReason(new ResourceSnapshot(1, 0.9, 0.1, 0, 0, 0, 0, 0), Balanced), StringComparison.Ordinal);
        Assert.Null(PrefetchAdmission.PauseReason(ResourceSnapshot.Unknown, Balanced));
    }

    private static PrefetchAdmission Create(out PrefetchBudget budget)
    {
        budget = new PrefetchBudget();
        var options = new PredictiveLoadingOptions();
        return new PrefetchAdmission(budget, new PrefetchPrecision(options.Prefetch), Options.Create(options));
    }

    private static ScoredCandidate Scored(string key, double probability, long size, double priority = 0.5) =>
        new(new Candidate(key, null, CandidateReason.Successor, probability, false, size), new AccessPrediction(probability, size), priority);

    private static RankedCandidate Ranked(string key, double probability, long size) => new(Scored(key, probability, size), probability);

    private sealed record Strategy(double Threshold, long BudgetBytes, double Limit) : IPrefetchStrategy
    {
        public string Name => "test";

        public double ProbabilityThreshold => Threshold;

        public TimeSpan LookaheadWindow => TimeSpan.FromMinutes(5);

        public long PrefetchBudgetBytes => BudgetBytes;

        public double ResourceLimit => Limit;
    }
}
