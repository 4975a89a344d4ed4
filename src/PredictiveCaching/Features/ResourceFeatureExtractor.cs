using PredictiveCaching.Prediction;
using PredictiveCaching.Resources;

namespace PredictiveCaching.Features;

/// <summary>
/// The machine's load from the latest <see cref="ResourceSnapshot"/>: utilisation in [0, 1], -1 where unknown.
/// Rates, never the cumulative counters the original sketch used (which only grow and so carry no signal).
/// </summary>
internal sealed class ResourceFeatureExtractor : IFeatureExtractor
{
    private static readonly string[] s_names = ["memory", "cpu", "disk_read", "disk_write", "network_in", "network_out"];

    public IReadOnlyList<string> FeatureNames => s_names;

    public void Extract(in PredictionContext context, Span<float> destination)
    {
        _ = destination[5];
        ResourceSnapshot resources = context.Resources;
        destination[0] = FeatureValues.Known(resources.Memory);
        destination[1] = FeatureValues.Known(resources.Cpu);
        destination[2] = FeatureValues.Known(resources.DiskRead);
        destination[3] = FeatureValues.Known(resources.DiskWrite);
        destination[4] = FeatureValues.Known(resources.NetworkIn);
        destination[5] = FeatureValues.Known(resources.NetworkOut);
    }
}
