using PredictiveCaching.Features;

namespace PredictiveCaching.Tests.Features;

public sealed class FeatureSchemaTests
{
    [Fact]
    public void Constructor_SeveralExtractors_NamesInRegistrationOrder()
    {
        FeatureSchema schema = CreateSut(new FakeFeatureExtractor(0, "b", "a"), new FakeFeatureExtractor(0, "c"));

        Assert.Equal(["b", "a", "c"], schema.Names);
        Assert.Equal(3, schema.Count);
        Assert.Equal(1, schema.IndexOf("a"));
        Assert.Equal(2, schema.IndexOf("c"));
        Assert.Equal(-1, schema.IndexOf("missing"));
    }

    [Fact]
    public void Fingerprint_SameNames_SameHexSha256()
    {
        FeatureSchema first = CreateSut(new FakeFeatureExtractor(0, "a", "b"));
        FeatureSchema second = CreateSut(new FakeFeatureExtractor(0, "a"), new FakeFeatureExtractor(0, "b"));

        Assert.Equal(first.Fingerprint, second.Fingerprint);
        Assert.Equal(FeatureSchema.ComputeFingerprint(["a", "b"]), first.Fingerprint);
        Assert.Equal(Sha256Hex("a\nb"), first.Fingerprint);
        Assert.Matches("^[0-9a-f]{64}$", first.Fingerprint);
    }

    [Fact]
    public void Fingerprint_DifferentOrder_Differs()
    {
        Assert.NotEqual(
            CreateSut(new FakeFeatureExtractor(0, "a", "b")).Fingerprint,
            CreateSut(new FakeFeatureExtractor(0, "b", "a")).Fingerprint);
    }

    [Fact]
    public void Matches_SameOrDifferentNames_ComparesOrdinalInOrder()
    {
        FeatureSchema schema = CreateSut(new FakeFeatureExtractor(0, "a", "b"));

        Assert.True(schema.Matches(["a", "b"]));
        Assert.False(schema.Matches(["b", "a"]));
        Assert.False(schema.Matches(["a"]));
        Assert.False(schema.Matches(["a", "B"]));
    }

    [Fact]
    public void Constructor_DuplicateNameAcrossExtractors_ThrowsNamingBoth()
    {
        var ex = Assert.Throws<InvalidOperationException>(() =>
            CreateSut(new TimeFeatureExtractor(), new FakeFeatureExtractor(0, "tenant", "hour")));

        Assert.Contains("'hour'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(typeof(TimeFeatureExtractor).FullName!, ex.Message, StringComparison.Ordinal);
        Assert.Contains(typeof(FakeFeatureExtractor).FullName!, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_EmptyName_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => CreateSut(new FakeFeatureExtractor(0, "a", " ")));
    }

    [Fact]
    public void Constructor_BuiltIns_SchemaInDocumentedOrder()
    {
        FeatureSchema schema = CreateSut(new TimeFeatureExtractor(), new AccessPatternFeatureExtractor(), new ResourceFeatureExtractor(), new ContextFeatureExtractor());

        Assert.Equal(27, schema.Count);
        Assert.Equal(0, schema.IndexOf("hour"));
        Assert.Equal(8, schema.IndexOf("read_count"));
        Assert.Equal(16, schema.IndexOf("memory"));
        Assert.Equal(22, schema.IndexOf("priority"));
        Assert.Equal(26, schema.IndexOf("is_prefetched"));
    }

    private static string Sha256Hex(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));

    private static FeatureSchema CreateSut(params IFeatureExtractor[] extractors) => new(extractors);
}
