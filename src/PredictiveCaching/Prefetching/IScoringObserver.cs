using PredictiveCaching.Features;

namespace PredictiveCaching.Prefetching;

/// <summary>
/// Sees every candidate the prefetch cycle scores, with the features it was (or would have been) scored on and the
/// probability the loop used: the decision points a learning package samples (the ML package's decision sampler is
/// one). Register one as a singleton; <c>AddMachineLearning()</c> registers its own in place of any other.
/// </summary>
/// <remarks>
/// Called under the cycle's gate, on the cycle's thread, never on the read path: an implementation holds up the cycle
/// for as long as it runs, so it copies what it keeps (the feature span is reused for the next candidate) and does
/// nothing slow. <see cref="Prediction.IPredictionInputs"/> tells what happened to a key afterwards, for labelling.
/// </remarks>
public interface IScoringObserver
{
    /// <summary>Called once at the start of each cycle, before any candidate is scored.</summary>
    /// <param name="nowTicks">The cycle's time, in UTC ticks.</param>
    void OnCycle(long nowTicks);

    /// <summary>Called for each scored candidate.</summary>
    /// <param name="context">What it was scored from.</param>
    /// <param name="reason">The mechanism that proposed it.</param>
    /// <param name="features">Its feature vector as of now (filled whatever the predictor in use); valid only during the call.</param>
    /// <param name="probability">The probability the loop used for it.</param>
    /// <param name="byPredictor">
    /// <see langword="true"/> when the active predictor scored it; <see langword="false"/> for decision-point candidates
    /// (expiry, co-access, hints), which keep the estimate they were proposed with.
    /// </param>
    void OnScored(in PredictionContext context, CandidateReason reason, ReadOnlySpan<float> features, double probability, bool byPredictor);
}
