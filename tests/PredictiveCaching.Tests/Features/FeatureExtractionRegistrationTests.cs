using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PredictiveCaching.Features;

namespace PredictiveCaching.Tests.Features;

public sealed class FeatureExtractionRegistrationTests
{
    [Fact]
    public void AddPredictiveLoading_Default_SchemaOfBuiltInsInFixedOrder()
    {
        using ServiceProvider provider = CreateServices().BuildServiceProvider();

        FeatureSchema schema = provider.GetRequiredService<FeatureSchema>();

        Assert.Equal(27, schema.Count);
        Assert.Equal("hour", schema.Names[0]);
        Assert.Equal("is_prefetched", schema.Names[^1]);
        Assert.Same(schema, provider.GetRequiredService<FeatureVectorBuilder>().Schema);
    }

    [Fact]
    public void AddFeatureExtractor_Type_AppendedAfterBuiltInsOnce()
    {
        ServiceCollection services = CreateServices();
        services.AddPredictiveLoading().AddFeatureExtractor<TenantFeatures>().AddFeatureExtractor<TenantFeatures>();
        using ServiceProvider provider = services.BuildServiceProvider();

        FeatureVectorBuilder builder = provider.GetRequiredService<FeatureVectorBuilder>();
        var values = new float[builder.Schema.Count];
        builder.Fill(FeatureTestData.CreateContext(null), values);

        Assert.Equal(28, builder.Schema.Count);
        Assert.Equal(27, builder.Schema.IndexOf("tenant_tier"));
        Assert.Equal(3f, values[27]);
    }

    [Fact]
    public void AddFeatureExtractor_Instances_InCallOrder()
    {
        ServiceCollection services = CreateServices();
        services.AddPredictiveLoading()
            .AddFeatureExtractor(new FakeFeatureExtractor(1, "x"))
            .AddFeatureExtractor(new FakeFeatureExtractor(2, "y"));
        using ServiceProvider provider = services.BuildServiceProvider();

        FeatureSchema schema = provider.GetRequiredService<FeatureSchema>();

        Assert.Equal(["x", "y"], schema.Names.Skip(27));
    }

    [Fact]
    public async Task StartAsync_DuplicateFeatureName_FailsStartNamingBothExtractors()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddDistributedMemoryCache();
        builder.Services.AddPredictiveLoading().AddFeatureExtractor(new FakeFeatureExtractor(0, "cpu"));
        using IHost host = builder.Build();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains("'cpu'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(ResourceFeatureExtractor), ex.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(FakeFeatureExtractor), ex.Message, StringComparison.Ordinal);
    }

    private static ServiceCollection CreateServices()
    {
        var services = new ServiceCollection();
        services.AddDistributedMemoryCache();
        services.AddPredictiveLoading();
        return services;
    }

    private sealed class TenantFeatures : IFeatureExtractor
    {
        public IReadOnlyList<string> FeatureNames { get; } = ["tenant_tier"];

        public void Extract(in PredictiveCaching.Features.PredictionContext context, Span<float> destination) => destination[0] = 3f;
    }
}
