using PredictiveCaching.Features;
using PredictiveCaching.Prediction;

namespace PredictiveCaching.MachineLearning.Training;

/// <summary>
/// Two features that let a model start from what the loop already knows instead of relearning it:
/// <c>heuristic_probability</c>, the heuristic predictor's probability for the same context, and <c>proposal_prior</c>,
/// the estimate the candidate was proposed with (an expiry bin's, a co-access pair's, a successor share, a sequence's
/// rate; 0 for a rhythm candidate). A model then only has to learn where the heuristic is wrong, which is what the
/// gate asks of it (more misses avoided than the heuristic, at no lower precision).
/// </summary>
/// <remarks>Added by <c>AddMachineLearning()</c>; scoring it costs one heuristic prediction, without allocation.</remarks>
internal sealed class DecisionFeatureExtractor : IFeatureExtractor
{
    private static readonly string[] s_names = ["heuristic_probability", "proposal_prior"];
    private readonly IAccessPredictor _heuristic = ActivePredictor.Heuristic;

    public IReadOnlyList<string> FeatureNames => s_names;

    public void Extract(in PredictionContext context, Span<float> destination)
    {
        destination[0] = (float)_heuristic.Predict(in context, ReadOnlySpan<float>.Empty).Probability;
        destination[1] = (float)Math.Clamp(context.Prior, 0d, 1d);
    }
}
