using PredictiveCaching.Prediction;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Features;

/// <summary>
/// How the candidate has been read: counts, recency, the rhythm of its reads, how often they hit, and how long the
/// current copy has left. A key never seen gets zero counts and -1 (unknown) times.
/// </summary>
internal sealed class AccessPatternFeatureExtractor : IFeatureExtractor
{
    private static readonly string[] s_names =
    [
        "read_count",
        "seconds_since_first_read",
        "seconds_since_last_read",
        "interval_mean_seconds",
        "interval_std_seconds",
        "hit_ratio",
        "seconds_until_expiry",
        "expected_reads_in_window",
    ];

    public IReadOnlyList<string> FeatureNames => s_names;

    public void Extract(in PredictionContext context, Span<float> destination)
    {
        _ = destination[7];
        if (context.Statistics is not { } s)
        {
            destination[0] = 0f;
            destination[1] = FeatureValues.Unknown;
            destination[2] = FeatureValues.Unknown;
            destination[3] = 0f;
            destination[4] = 0f;
            destination[5] = FeatureValues.Unknown;
            destination[6] = FeatureValues.Unknown;
            destination[7] = 0f;
            return;
        }

        long now = context.NowTicks;
        bool read = s.ReadCount > 0;
        destination[0] = s.ReadCount;
        destination[1] = read ? FeatureValues.SecondsSince(now, s.FirstReadTicks) : FeatureValues.Unknown;
        destination[2] = read ? FeatureValues.SecondsSince(now, s.LastReadTicks) : FeatureValues.Unknown;
        destination[3] = (float)s.MeanIntervalSeconds;
        destination[4] = (float)s.IntervalStandardDeviation;
        destination[5] = read ? (float)((double)s.HitCount / s.ReadCount) : FeatureValues.Unknown;
        destination[6] = SecondsUntilExpiry(in s, now);
        destination[7] = s.MeanIntervalSeconds > 0d ? (float)(context.Lookahead.TotalSeconds / s.MeanIntervalSeconds) : 0f;
    }

    private static float SecondsUntilExpiry(in KeyAccessSnapshot s, long now)
    {
        if (!s.IsPresent)
        {
            return FeatureValues.Unknown;
        }

        if (s.ExpectedExpiryTicks == long.MaxValue)
        {
            return (float)FeatureValues.MaxSeconds;
        }

        double seconds = s.ExpectedExpiryTicks <= now ? 0d : (double)(s.ExpectedExpiryTicks - now) / TimeSpan.TicksPerSecond;
        return (float)Math.Min(seconds, FeatureValues.MaxSeconds);
    }
}
