using PredictiveCaching.Features;

namespace PredictiveCaching.Prediction;

/// <summary>
/// Predicts whether a key is read within the lookahead window and how large its value is. The statistical heuristic
/// is the default; a trained model plugs into the same interface.
/// </summary>
public interface IAccessPredictor
{
    /// <summary>Gets a short description of the predictor for status and logs, such as <c>heuristic</c> or <c>model v3</c>.</summary>
    string Kind { get; }

    /// <summary>Gets a value indicating whether <see cref="Predict"/> reads the feature vector; when not, extraction is skipped.</summary>
    bool UsesFeatures { get; }

    /// <summary>Predicts one candidate. Must not allocate.</summary>
    /// <param name="context">The candidate and the moment it is scored.</param>
    /// <param name="features">The feature vector in schema order; empty when <see cref="UsesFeatures"/> is <see langword="false"/>.</param>
    /// <returns>The probability of a read within <see cref="PredictionContext.Lookahead"/> and the predicted size.</returns>
    AccessPrediction Predict(in PredictionContext context, ReadOnlySpan<float> features);
}
