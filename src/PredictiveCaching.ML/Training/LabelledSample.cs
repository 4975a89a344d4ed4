namespace PredictiveCaching.MachineLearning.Training;

/// <summary>
/// One labelled example: the feature vector of a key at a sample time, whether it was read within the lookahead window
/// after it, and the size of its value then.
/// </summary>
/// <param name="Features">The feature vector at the sample time (nothing after it).</param>
/// <param name="Label">Whether the key was read within (sample time, sample time + window].</param>
/// <param name="Weight">How many examples of the true distribution this one stands for (inverse of its sampling rate).</param>
/// <param name="LogSize">log(size + 1) of the value observed when labelled; NaN when unknown or not read.</param>
/// <param name="SampleTicks">The sample time, in UTC ticks.</param>
/// <param name="Decision">
/// For a sample taken where the loop scored a candidate: what the loop decided with (the heuristic's probability, the
/// threshold, whether the model would score it); <see langword="default"/> for a sample of the tracked keys.
/// </param>
internal readonly record struct LabelledSample(float[] Features, bool Label, float Weight, float LogSize, long SampleTicks, DecisionRecord Decision = default);

/// <summary>What the loop knew and decided when it scored a candidate that became a sample.</summary>
/// <param name="IsDecision">Whether the sample came from a decision; <see langword="false"/> (the default) for a sample of the tracked keys.</param>
/// <param name="HeuristicProbability">
/// The probability without a model: the heuristic predictor's, or for a decision-point candidate (expiry, co-access,
/// hint) the estimate it was proposed with.
/// </param>
/// <param name="Prior">The proposal's own evidence (successor share, sequence rate), which a model combines as a noisy-OR.</param>
/// <param name="Threshold">The strategy's probability threshold at the decision.</param>
/// <param name="ByPredictor">Whether the active predictor scores such a candidate (a model would decide it).</param>
internal readonly record struct DecisionRecord(bool IsDecision, float HeuristicProbability, float Prior, float Threshold, bool ByPredictor)
{
    /// <summary>Gets a value indicating whether this is a decision a model would make: the samples a model is judged on.</summary>
    public bool IsModelDecision => IsDecision && ByPredictor;
}
