using Microsoft.Extensions.Caching.Distributed;
using PredictiveCaching.Features;
using PredictiveCaching.Prediction;
using PredictiveCaching.Resources;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Tests.Features;

/// <summary>A worked example: one key's history recorded with explicit times, scored at a fixed moment.</summary>
internal static class FeatureTestData
{
    /// <summary>Monday 2 March 2026, 08:00:00 UTC.</summary>
    public static readonly long T0 = new DateTime(2026, 3, 2, 8, 0, 0, DateTimeKind.Utc).Ticks;

    /// <summary>One minute after <see cref="T0"/>.</summary>
    public static readonly long Now = T0 + TimeSpan.FromSeconds(60).Ticks;

    public static readonly ResourceSnapshot Resources = new(Now, 0.5, 0.25, double.NaN, 0.125, 0.75, 0d, double.NaN);

    /// <summary>
    /// A miss at T0, a write of 2.5 MB at T0+5 s that expires 10 minutes later, hits at T0+15 s and T0+45 s:
    /// intervals 15 s and 30 s (mean 22.5, sample variance 112.5), 2 hits of 3 reads, expiry at T0+605 s.
    /// </summary>
    public static KeyAccessStatistics CreateStatistics(bool prefetched = false)
    {
        var tracker = new AccessTracker(new TrackingOptions());
        tracker.RecordRead("product:17", hit: false, size: -1, T0, out _);
        tracker.RecordWrite(
            "product:17",
            2_500_000,
            new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(10) },
            T0 + TimeSpan.FromSeconds(5).Ticks,
            prefetched);
        tracker.RecordRead("product:17", hit: true, size: 2_500_000, T0 + TimeSpan.FromSeconds(15).Ticks, out _);
        tracker.RecordRead("product:17", hit: true, size: 2_500_000, T0 + TimeSpan.FromSeconds(45).Ticks, out KeyAccessStatistics statistics);
        return statistics;
    }

    public static PredictionContext CreateContext(KeyAccessStatistics? statistics, bool sequential = false, long? now = null) =>
        new("product:17", statistics?.Snapshot(), now ?? Now, TimeSpan.FromMinutes(5), Resources, priority: 0.8, isSequential: sequential);
}
