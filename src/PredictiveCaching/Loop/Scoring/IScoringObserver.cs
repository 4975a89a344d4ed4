using PredictiveCaching.Features;
using PredictiveCaching.Prefetching;

namespace PredictiveCaching.Loop.Scoring;

/// <summary>
/// Sees every candidate the cycle scores, with the features it was (or would have been) scored on and the probability
/// the loop used: the decision points learned prediction samples (the ML package's decision sampler).
/// </summary>
/// <remarks>Called under the cycle's gate, on the cycle's thread, never on the read path.</remarks>
internal interface IScoringObserver
{
    /// <summary>Called once at the start of each cycle, before any candidate is scored.</summary>
    void OnCycle(long nowTicks);

    /// <summary>Called for each scored candidate.</summary>
    /// <param name="context">What it was scored from.</param>
    /// <param name="reason">The mechanism that proposed it.</param>
    /// <param name="features">Its feature vector as of now (filled whatever the predictor in use).</param>
    /// <param name="probability">The probability the loop used for it.</param>
    /// <param name="byPredictor">
    /// <see langword="true"/> when the active predictor scored it; <see langword="false"/> for decision-point candidates
    /// (expiry, co-access, hints), which keep the estimate they were proposed with.
    /// </param>
    void OnScored(in PredictionContext context, CandidateReason reason, ReadOnlySpan<float> features, double probability, bool byPredictor);
}
