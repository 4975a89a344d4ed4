using PredictiveCaching.Features;
using PredictiveCaching.Prediction;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Tests.Features;

public sealed class FeatureVectorBuilderTests
{
    [Fact]
    public void Fill_SeveralExtractors_EachWritesItsSlice()
    {
        FeatureVectorBuilder builder = CreateSut(new FakeFeatureExtractor(10, "a", "b"), new FakeFeatureExtractor(20, "c", "d", "e"));
        var values = new float[5];

        builder.Fill(FeatureTestData.CreateContext(null), values);

        Assert.Equal([10f, 11f, 20f, 21f, 22f], values);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(6)]
    public void Fill_WrongLength_ThrowsArgumentException(int length)
    {
        FeatureVectorBuilder builder = CreateSut(new FakeFeatureExtractor(0, "a", "b", "c", "d", "e"));

        var ex = Assert.Throws<ArgumentException>(() => builder.Fill(FeatureTestData.CreateContext(null), new float[length]));
        Assert.Equal("destination", ex.ParamName);
    }

    [Fact]
    public void Fill_BuiltIns_WorkedExampleVector()
    {
        FeatureVectorBuilder builder = CreateBuiltIns();
        var values = new float[builder.Schema.Count];

        builder.Fill(FeatureTestData.CreateContext(FeatureTestData.CreateStatistics()), values);

        Assert.Equal(8f, values[builder.Schema.IndexOf("hour")]);
        Assert.Equal(3f, values[builder.Schema.IndexOf("read_count")]);
        Assert.Equal(0.25f, values[builder.Schema.IndexOf("cpu")]);
        Assert.Equal(2.5f, values[builder.Schema.IndexOf("size_mb")]);
    }

    [Fact]
    public void Fill_BuiltInsAfterWarmUp_AllocatesNothing()
    {
        FeatureVectorBuilder builder = CreateBuiltIns();
        KeyAccessStatistics statistics = FeatureTestData.CreateStatistics();
        Span<float> values = stackalloc float[builder.Schema.Count];
        var context = FeatureTestData.CreateContext(statistics);
        var unknown = FeatureTestData.CreateContext(null);
        Fill(builder, in context, in unknown, values, 100);

        long before = GC.GetAllocatedBytesForCurrentThread();
        Fill(builder, in context, in unknown, values, 1_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    private static void Fill(FeatureVectorBuilder builder, in PredictionContext known, in PredictionContext unknown, Span<float> values, int times)
    {
        for (int i = 0; i < times; i++)
        {
            builder.Fill(in known, values);
            builder.Fill(in unknown, values);
        }
    }

    private static FeatureVectorBuilder CreateBuiltIns() =>
        CreateSut(new TimeFeatureExtractor(), new AccessPatternFeatureExtractor(), new ResourceFeatureExtractor(), new ContextFeatureExtractor());

    private static FeatureVectorBuilder CreateSut(params IFeatureExtractor[] extractors) => new(new FeatureSchema(extractors));
}
