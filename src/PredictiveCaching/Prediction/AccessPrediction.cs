namespace PredictiveCaching.Prediction;

/// <summary>What a predictor expects of one key within the lookahead window.</summary>
/// <param name="Probability">The probability that the key is read within the window, in [0, 1].</param>
/// <param name="PredictedSizeBytes">The expected size of its value, in bytes; 0 when nothing is known.</param>
public readonly record struct AccessPrediction(double Probability, long PredictedSizeBytes);
