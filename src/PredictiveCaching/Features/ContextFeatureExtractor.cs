using PredictiveCaching.Prediction;

namespace PredictiveCaching.Features;

/// <summary>
/// Why and how the candidate is proposed: its priority level, the size of its value in MB (10^6 bytes), how long
/// since it was last touched (hit, written or refreshed), whether it is the next of a sequence, and whether the
/// current copy came from a prefetch.
/// </summary>
/// <remarks>
/// The original sketch's context "age of last access" is <c>seconds_since_last_access</c>; its context "read count"
/// is <c>read_count</c> of the access-pattern features and is not repeated.
/// </remarks>
internal sealed class ContextFeatureExtractor : IFeatureExtractor
{
    private static readonly string[] s_names = ["priority", "size_mb", "seconds_since_last_access", "is_sequential", "is_prefetched"];

    public IReadOnlyList<string> FeatureNames => s_names;

    public void Extract(in PredictionContext context, Span<float> destination)
    {
        _ = destination[4];
        destination[0] = (float)context.Priority;
        destination[3] = context.IsSequential ? 1f : 0f;
        if (context.Statistics is not { } statistics)
        {
            destination[1] = FeatureValues.Unknown;
            destination[2] = FeatureValues.Unknown;
            destination[4] = 0f;
            return;
        }

        long size = statistics.LastSize;
        long lastAccess = statistics.LastAccessTicks;
        destination[1] = size >= 0 ? (float)(size / 1_000_000d) : FeatureValues.Unknown;
        destination[2] = lastAccess > 0 ? FeatureValues.SecondsSince(context.NowTicks, lastAccess) : FeatureValues.Unknown;
        destination[4] = statistics.IsPrefetchedCopy ? 1f : 0f;
    }
}
