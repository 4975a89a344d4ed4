using PredictiveCaching.Features;
using PredictiveCaching.Loop.Candidates;
using PredictiveCaching.Prediction;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Priorities;
using PredictiveCaching.Resources;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Loop.Scoring;

/// <summary>
/// The scoring stage: the probability that a candidate is read within the lookahead window, and its size. Candidates
/// proposed at a decision point with their own estimate keep it; the others are scored by the active predictor on
/// their features.
/// </summary>
/// <remarks>
/// One instance serves the cycle (with its shared feature buffer, under the cycle's gate) and
/// <see cref="IPredictiveLoader.Predict"/> (which may run concurrently and gets a buffer of its own).
/// </remarks>
internal sealed class CandidateScorer(
    ActivePredictor predictor,
    FeatureVectorBuilder features,
    KeyPriorities priorities,
    AccessTracker tracker,
    IScoringObserver? observer = null)
{
    private readonly float[] _cycleBuffer = new float[features.Schema.Count];

    /// <summary>Called at the start of each cycle, before it scores anything.</summary>
    public void BeginCycle(long nowTicks) => observer?.OnCycle(nowTicks);

    /// <summary>Scores one candidate of the cycle.</summary>
    public ScoredCandidate Score(in Candidate candidate, long nowTicks, TimeSpan lookahead, ResourceSnapshot resources)
    {
        double priority = priorities.WeightOf(candidate.Key);
        // One snapshot per candidate: the decision-point size, the predictor, the features and the observer all read it.
        KeyAccessSnapshot? statistics = candidate.Entry?.Snapshot();

        // Expiry decisions and co-access carry an estimate made at the decision point from the evidence that proposed
        // them (outcomes of earlier expiries; co-reads per episode), and a hint carries the application's: the rhythm
        // model would only count twice.
        AccessPrediction prediction;
        bool byPredictor = false;
        if (candidate.Reason is CandidateReason.Expiry or CandidateReason.CoAccess && statistics is { } known)
        {
            prediction = new AccessPrediction(candidate.Prior, Math.Max(0, known.LastSize));
        }
        else if (candidate.Reason == CandidateReason.Hint)
        {
            prediction = new AccessPrediction(candidate.Prior, Math.Max(0, candidate.SizeHint));
        }
        else
        {
            byPredictor = true;
            prediction = default;
        }

        var context = new PredictionContext(candidate.Key, statistics, nowTicks, lookahead, resources, priority, candidate.IsSequential, candidate.Prior, candidate.SizeHint);
        bool filled = false;
        if (byPredictor)
        {
            prediction = Predict(in context, _cycleBuffer, out filled);
        }

        if (observer is not null)
        {
            if (!filled)
            {
                features.Fill(in context, _cycleBuffer);
            }

            observer.OnScored(in context, candidate.Reason, _cycleBuffer, prediction.Probability, byPredictor);
        }

        return new ScoredCandidate(candidate, prediction, priority);
    }

    /// <summary>Scores one key on request, outside the cycle.</summary>
    public (AccessPrediction Prediction, double Priority) Score(PredictionRequest request, long nowTicks, TimeSpan lookahead, ResourceSnapshot resources)
    {
        double priority = request.Priority is { } level ? priorities.WeightOf(level) : priorities.WeightOf(request.Key);
        var context = new PredictionContext(request.Key, tracker.SnapshotOf(request.Key), nowTicks, lookahead, resources, priority, request.IsSequential, 0d, request.SizeBytes ?? -1);
        return (Predict(in context, featureBuffer: null, out _), priority);
    }

    private AccessPrediction Predict(in PredictionContext context, float[]? featureBuffer, out bool filled)
    {
        IAccessPredictor current = predictor.Current;
        if (!current.UsesFeatures)
        {
            filled = false;
            return current.Predict(in context, ReadOnlySpan<float>.Empty);
        }

        featureBuffer ??= new float[features.Schema.Count];
        features.Fill(in context, featureBuffer);
        filled = true;
        return current.Predict(in context, featureBuffer);
    }
}
