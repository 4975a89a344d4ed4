using PredictiveCaching.Features;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Tests.Features;

public sealed class ContextFeatureExtractorTests
{
    [Fact]
    public void FeatureNames_Always_StableOrder()
    {
        Assert.Equal(
            ["priority", "size_mb", "seconds_since_last_access", "is_sequential", "is_prefetched"],
            new ContextFeatureExtractor().FeatureNames);
    }

    [Fact]
    public void Extract_WorkedExample_WritesContext()
    {
        float[] values = Extract(FeatureTestData.CreateStatistics(), sequential: false);

        Assert.Equal([0.8f, 2.5f, 15f, 0f, 0f], values);
    }

    [Fact]
    public void Extract_PrefetchedCopyProposedAsSequence_FlagsSet()
    {
        var tracker = new AccessTracker(new TrackingOptions());
        KeyAccessStatistics statistics = tracker.RecordWrite("k", 500_000, options: null, FeatureTestData.Now - TimeSpan.FromSeconds(20).Ticks, prefetched: true);

        float[] values = Extract(statistics, sequential: true);

        Assert.Equal([0.8f, 0.5f, 20f, 1f, 1f], values);
    }

    [Fact]
    public void Extract_UnknownKey_UnknownSizeAndAge()
    {
        Assert.Equal([0.8f, -1f, -1f, 1f, 0f], Extract(null, sequential: true));
    }

    private static float[] Extract(KeyAccessStatistics? statistics, bool sequential)
    {
        var values = new float[5];
        new ContextFeatureExtractor().Extract(FeatureTestData.CreateContext(statistics, sequential), values);
        return values;
    }
}
