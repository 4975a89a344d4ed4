using Microsoft.Extensions.DependencyInjection;
using PredictiveCaching.Features;
using PredictiveCaching.Loop.Candidates;
using PredictiveCaching.Loop.Scoring;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Resources;
using PredictiveCaching.Tests.Fakes;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Tests.Stages;

/// <summary>The scoring stage offers every candidate it scores to an <see cref="IScoringObserver"/> (the ML package's sampler).</summary>
public sealed class CandidateScorerObserverTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Score_DecisionPointAndRhythmCandidates_AreObservedWithFilledFeatures_AndWhetherThePredictorScoredThem()
    {
        var observer = new RecordingObserver();
        await using LoopHarness h = LoopHarness.Create(build: (b, _) => b.Services.AddSingleton<IScoringObserver>(observer));
        await h.ReadAsync("a", Ttl);
        await h.ReadAsync("b", Ttl);
        h.Provider.GetRequiredService<AccessTracker>().TryGet("a", out KeyAccessStatistics? a);
        h.Provider.GetRequiredService<AccessTracker>().TryGet("b", out KeyAccessStatistics? b);
        var scorer = h.Provider.GetRequiredService<CandidateScorer>();
        ResourceSnapshot resources = h.Provider.GetRequiredService<ResourceMonitor>().Current;
        long now = h.Time.GetUtcNow().UtcTicks;

        scorer.BeginCycle(now);
        var expiry = new Candidate("a", a, CandidateReason.Expiry, 0.83, IsSequential: false, SizeHint: -1);
        var rhythm = new Candidate("b", b, CandidateReason.Rhythm, 0d, IsSequential: false, SizeHint: -1);
        ScoredCandidate scoredExpiry = scorer.Score(in expiry, now, TimeSpan.FromMinutes(5), resources);
        ScoredCandidate scoredRhythm = scorer.Score(in rhythm, now, TimeSpan.FromMinutes(5), resources);

        Assert.Equal([now], observer.Cycles);
        Assert.Equal(2, observer.Seen.Count);
        (string key, CandidateReason reason, float[] features, double probability, bool byPredictor) = observer.Seen[0];
        Assert.Equal(("a", CandidateReason.Expiry, 0.83, false), (key, reason, probability, byPredictor));
        Assert.Equal(0.83, scoredExpiry.Prediction.Probability); // the decision point keeps its own estimate
        int readCount = h.Provider.GetRequiredService<FeatureSchema>().IndexOf("read_count");
        Assert.Equal(1f, features[readCount]); // filled although the heuristic uses no features
        Assert.Equal(("b", CandidateReason.Rhythm, true), (observer.Seen[1].Key, observer.Seen[1].Reason, observer.Seen[1].ByPredictor));
        Assert.Equal(scoredRhythm.Prediction.Probability, observer.Seen[1].Probability);
    }

    private sealed class RecordingObserver : IScoringObserver
    {
        public List<long> Cycles { get; } = [];

        public List<(string Key, CandidateReason Reason, float[] Features, double Probability, bool ByPredictor)> Seen { get; } = [];

        public void OnCycle(long nowTicks) => Cycles.Add(nowTicks);

        public void OnScored(in PredictionContext context, CandidateReason reason, ReadOnlySpan<float> features, double probability, bool byPredictor) =>
            Seen.Add((context.Key, reason, features.ToArray(), probability, byPredictor));
    }
}
