using PredictiveCaching.Prediction;

namespace PredictiveCaching.Features;

/// <summary>
/// Writes a fixed, ordered set of numeric features for one candidate key. The names are read once at start and
/// become part of the feature schema stored with every trained model.
/// </summary>
public interface IFeatureExtractor
{
    /// <summary>Gets the names of the features this extractor writes, in the order it writes them. Must not change.</summary>
    IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Writes this extractor's features for one candidate. Must not allocate.</summary>
    /// <param name="context">The candidate and the moment it is scored.</param>
    /// <param name="destination">Exactly <c>FeatureNames.Count</c> values to fill, in <see cref="FeatureNames"/> order.</param>
    void Extract(in PredictionContext context, Span<float> destination);
}
