using PredictiveCaching.Features;

namespace PredictiveCaching.Tests.Features;

public sealed class ResourceFeatureExtractorTests
{
    [Fact]
    public void Extract_SnapshotWithUnknowns_UtilisationOrMinusOne()
    {
        var extractor = new ResourceFeatureExtractor();
        var values = new float[6];

        extractor.Extract(FeatureTestData.CreateContext(null), values);

        Assert.Equal(["memory", "cpu", "disk_read", "disk_write", "network_in", "network_out"], extractor.FeatureNames);
        Assert.Equal([0.5f, 0.25f, -1f, 0.125f, 0.75f, 0f], values);
    }
}
