namespace PredictiveCaching.Prefetching;

/// <summary>A prediction for one key.</summary>
/// <param name="Key">The cache key.</param>
/// <param name="Probability">The probability that the key is read within the strategy's lookahead window.</param>
/// <param name="PredictedSizeBytes">The expected size of its value, in bytes.</param>
/// <param name="Confidence">The confidence of the prediction (see <see cref="Prediction.PredictionConfidence"/>).</param>
/// <param name="MeetsThreshold">Whether the probability reaches the strategy's threshold, so the key would be prefetched.</param>
/// <param name="Strategy">The strategy whose window and threshold were applied.</param>
public readonly record struct KeyPrediction(string Key, double Probability, long PredictedSizeBytes, double Confidence, bool MeetsThreshold, string Strategy);
