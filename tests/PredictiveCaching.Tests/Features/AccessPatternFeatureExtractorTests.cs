using PredictiveCaching.Features;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Tests.Features;

public sealed class AccessPatternFeatureExtractorTests
{
    [Fact]
    public void FeatureNames_Always_StableOrder()
    {
        Assert.Equal(
            ["read_count", "seconds_since_first_read", "seconds_since_last_read", "interval_mean_seconds", "interval_std_seconds", "hit_ratio", "seconds_until_expiry", "expected_reads_in_window"],
            new AccessPatternFeatureExtractor().FeatureNames);
    }

    [Fact]
    public void Extract_WorkedExample_WritesStatistics()
    {
        float[] values = Extract(FeatureTestData.CreateStatistics());

        Assert.Equal(3f, values[0]);
        Assert.Equal(60f, values[1]);
        Assert.Equal(15f, values[2]);
        Assert.Equal(22.5f, values[3]);
        Assert.Equal(Math.Sqrt(112.5), values[4], 4);
        Assert.Equal(2d / 3d, values[5], 5);
        Assert.Equal(545f, values[6]);
        Assert.Equal(300d / 22.5, values[7], 4);
    }

    [Fact]
    public void Extract_UnknownKey_ZeroCountsAndUnknownTimes()
    {
        Assert.Equal([0f, -1f, -1f, 0f, 0f, -1f, -1f, 0f], Extract(null));
    }

    [Fact]
    public void Extract_WrittenNeverReadNoExpiry_ExpiryCappedAtOneDay()
    {
        var tracker = new AccessTracker(new TrackingOptions());
        KeyAccessStatistics statistics = tracker.RecordWrite("k", 10, options: null, FeatureTestData.T0, prefetched: false);

        Assert.Equal([0f, -1f, -1f, 0f, 0f, -1f, 86_400f, 0f], Extract(statistics));
    }

    [Fact]
    public void Extract_AfterMiss_ExpiryUnknown()
    {
        var tracker = new AccessTracker(new TrackingOptions());
        tracker.RecordRead("k", hit: false, size: -1, FeatureTestData.T0, out KeyAccessStatistics statistics);

        float[] values = Extract(statistics);

        Assert.Equal(-1f, values[6]);
        Assert.Equal(0f, values[5]);
    }

    private static float[] Extract(KeyAccessStatistics? statistics)
    {
        var values = new float[8];
        new AccessPatternFeatureExtractor().Extract(FeatureTestData.CreateContext(statistics), values);
        return values;
    }
}
