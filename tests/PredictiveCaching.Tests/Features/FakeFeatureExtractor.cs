using PredictiveCaching.Features;
using PredictiveCaching.Prediction;

namespace PredictiveCaching.Tests.Features;

/// <summary>Writes 1, 2, 3… into its slice, offset by <paramref name="start"/>.</summary>
internal sealed class FakeFeatureExtractor(float start, params string[] names) : IFeatureExtractor
{
    public IReadOnlyList<string> FeatureNames { get; } = names;

    public void Extract(in PredictionContext context, Span<float> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = start + i;
        }
    }
}
