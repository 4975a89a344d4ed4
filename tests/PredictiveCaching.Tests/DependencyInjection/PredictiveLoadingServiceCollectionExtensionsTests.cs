using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PredictiveCaching.Caching;
using PredictiveCaching.Loop.Candidates;
using PredictiveCaching.Tests.Caching;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Tests.DependencyInjection;

public sealed class PredictiveLoadingServiceCollectionExtensionsTests
{
    private const string BadThresholdMessage = "PredictiveLoading:Strategies:Balanced:ProbabilityThreshold must be in (0, 1]; was 1.5";

    [Fact]
    public void AddPredictiveLoading_AfterMemoryCache_DecoratesMemoryCache()
    {
        var services = new ServiceCollection();
        services.AddDistributedMemoryCache();
        services.AddPredictiveLoading();
        using ServiceProvider provider = services.BuildServiceProvider();

        IDistributedCache cache = provider.GetRequiredService<IDistributedCache>();

        PredictiveDistributedCache decorator = Assert.IsAssignableFrom<PredictiveDistributedCache>(cache);
        Assert.IsType<MemoryDistributedCache>(decorator.InnerCache);
        Assert.Same(cache, provider.GetRequiredService<IDistributedCache>());
    }

    [Fact]
    public void AddPredictiveLoading_Resolved_RecordsIntoTheRegisteredTracker()
    {
        var services = new ServiceCollection();
        services.AddDistributedMemoryCache();
        services.AddPredictiveLoading();
        using ServiceProvider provider = services.BuildServiceProvider();
        IDistributedCache cache = provider.GetRequiredService<IDistributedCache>();

        cache.Set("k", [1, 2], new DistributedCacheEntryOptions());
        cache.Get("k");

        Assert.True(provider.GetRequiredService<AccessTracker>().TryGet("k", out KeyAccessStatistics? k));
        Assert.Equal(1, k.HitCount);
    }

    [Fact]
    public void AddPredictiveLoading_TypeRegistration_DecoratesAndDisposesInnerWithProvider()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IDistributedCache, FakeDistributedCache>();
        services.AddPredictiveLoading();
        ServiceProvider provider = services.BuildServiceProvider();

        FakeDistributedCache inner = InnerOf<FakeDistributedCache>(provider);
        provider.Dispose();

        Assert.True(inner.IsDisposed);
    }

    [Fact]
    public void AddPredictiveLoading_FactoryRegistration_DecoratesAndDisposesInnerWithProvider()
    {
        var services = new ServiceCollection();
        int created = 0;
        services.AddSingleton<IDistributedCache>(_ =>
        {
            created++;
            return new FakeDistributedCache();
        });
        services.AddPredictiveLoading();
        ServiceProvider provider = services.BuildServiceProvider();

        FakeDistributedCache inner = InnerOf<FakeDistributedCache>(provider);
        provider.GetRequiredService<IDistributedCache>();
        provider.Dispose();

        Assert.Equal(1, created);
        Assert.True(inner.IsDisposed);
    }

    [Fact]
    public void AddPredictiveLoading_InstanceRegistration_DecoratesAndLeavesInstanceUndisposed()
    {
        var instance = new FakeDistributedCache();
        var services = new ServiceCollection();
        services.AddSingleton<IDistributedCache>(instance);
        services.AddPredictiveLoading();
        ServiceProvider provider = services.BuildServiceProvider();

        Assert.Same(instance, InnerOf<FakeDistributedCache>(provider));
        provider.Dispose();

        Assert.False(instance.IsDisposed);
    }

    [Theory]
    [InlineData(typeof(FakeBufferDistributedCache), true)]
    [InlineData(typeof(FakeDistributedCache), false)]
    [InlineData(typeof(MemoryDistributedCache), false)]
    public void AddPredictiveLoading_Resolved_IsBufferCacheExactlyWhenInnerIs(Type innerType, bool innerIsBuffer)
    {
        Assert.Equal(innerIsBuffer, typeof(IBufferDistributedCache).IsAssignableFrom(innerType));
        var services = new ServiceCollection();
        services.AddOptions();
        services.AddSingleton(typeof(IDistributedCache), innerType);
        services.AddPredictiveLoading();
        using ServiceProvider provider = services.BuildServiceProvider();

        IDistributedCache cache = provider.GetRequiredService<IDistributedCache>();

        Assert.IsType(innerType, Assert.IsAssignableFrom<PredictiveDistributedCache>(cache).InnerCache);
        Assert.Equal(innerIsBuffer, cache is IBufferDistributedCache);
    }

    [Fact]
    public void AddPredictiveLoading_CalledTwice_WrapsOnceAndAppliesBothConfigurations()
    {
        var services = new ServiceCollection();
        services.AddDistributedMemoryCache();
        services.AddPredictiveLoading(o => o.Tracking.MaxTrackedKeys = 1_000);
        services.AddPredictiveLoading(o => o.Tracking.MaxSuccessors = 2);
        using ServiceProvider provider = services.BuildServiceProvider();

        PredictiveDistributedCache decorator = Assert.IsAssignableFrom<PredictiveDistributedCache>(provider.GetRequiredService<IDistributedCache>());

        Assert.IsNotAssignableFrom<PredictiveDistributedCache>(decorator.InnerCache);
        // Keyed registrations aside: the undecorated cache is also registered under a private key, as HybridCache's L2.
        Assert.Single(services, d => d.ServiceType == typeof(IDistributedCache) && !d.IsKeyedService);
        PredictiveLoadingOptions options = provider.GetRequiredService<IOptions<PredictiveLoadingOptions>>().Value;
        Assert.Equal(1_000, options.Tracking.MaxTrackedKeys);
        Assert.Equal(2, options.Tracking.MaxSuccessors);
    }

    [Fact]
    public void AddPredictiveLoading_NoCacheRegistered_ResolvingExplainsWhatToRegister()
    {
        var services = new ServiceCollection();
        services.AddPredictiveLoading();
        using ServiceProvider provider = services.BuildServiceProvider();

        var ex = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IDistributedCache>());

        Assert.Contains("AddDistributedMemoryCache", ex.Message, StringComparison.Ordinal);
        Assert.Contains("AddStackExchangeRedisCache", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_CacheRegisteredBefore_Starts()
    {
        using IHost host = BuildHost(services =>
        {
            services.AddDistributedMemoryCache();
            services.AddPredictiveLoading();
        });

        await host.StartAsync();

        Assert.IsAssignableFrom<PredictiveDistributedCache>(host.Services.GetRequiredService<IDistributedCache>());
        await host.StopAsync();
    }

    [Fact]
    public async Task StartAsync_CacheRegisteredAfter_FailsNamingTheProblem()
    {
        // Microsoft.Extensions.DependencyInjection has no hook that runs before the provider is built
        // (dotnet/runtime#84847), so AddPredictiveLoading can only decorate a registration that already exists;
        // a later Add wins the resolution and the host reports it at start instead of silently not predicting.
        using IHost host = BuildHost(services =>
        {
            services.AddPredictiveLoading();
            services.AddSingleton<IDistributedCache, FakeDistributedCache>();
        });

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains(typeof(FakeDistributedCache).FullName!, ex.Message, StringComparison.Ordinal);
        Assert.Contains("registered after AddPredictiveLoading()", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_ProbabilityThresholdAboveOne_FailsWithPathAndValue()
    {
        using IHost host = BuildHost(services =>
        {
            services.AddDistributedMemoryCache();
            services.AddPredictiveLoading(o => o.Strategies.Balanced.ProbabilityThreshold = 1.5);
        });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(BadThresholdMessage, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_BadValueFromConfiguration_FailsWithPathAndValue()
    {
        IConfiguration configuration = Configuration(("PredictiveLoading:Tracking:MaxTrackedKeys", "3"));
        using IHost host = BuildHost(services =>
        {
            services.AddDistributedMemoryCache();
            services.AddPredictiveLoading(configuration);
        });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("PredictiveLoading:Tracking:MaxTrackedKeys must be in [16, 100000000]; was 3", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("MaxTrackedBytes", "0", "[1048576, 68719476736]")]
    [InlineData("MaxTrackedBytes", "1048575", "[1048576, 68719476736]")]
    [InlineData("MaxTrackedBytes", "68719476737", "[1048576, 68719476736]")]
    [InlineData("AdmissionReads", "0", "[1, 4]")]
    [InlineData("AdmissionReads", "5", "[1, 4]")]
    public async Task StartAsync_TrackingSettingOutOfRange_FailsWithPathAndValue(string setting, string value, string range)
    {
        string path = "PredictiveLoading:Tracking:" + setting;
        IConfiguration configuration = Configuration((path, value));
        using IHost host = BuildHost(services =>
        {
            services.AddDistributedMemoryCache();
            services.AddPredictiveLoading(configuration);
        });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(path + " must be in " + range + "; was " + value, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_SeveralBadValues_ReportsEach()
    {
        using IHost host = BuildHost(services =>
        {
            services.AddDistributedMemoryCache();
            services.AddPredictiveLoading(o =>
            {
                o.Strategies.Balanced.ProbabilityThreshold = 1.5;
                o.Tracking.SuccessorGap = TimeSpan.Zero;
            });
        });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(BadThresholdMessage, ex.Message, StringComparison.Ordinal);
        Assert.Contains("PredictiveLoading:Tracking:SuccessorGap must be in [00:00:00.0010000, 00:10:00]; was 00:00:00", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_BadResilienceAndSizeOptionsFromConfiguration_ReportsEachWithPath()
    {
        IConfiguration configuration = Configuration(
            ("PredictiveLoading:Prefetch:MaxConcurrency", "4"),
            ("PredictiveLoading:Prefetch:MaxConcurrencyPerSource", "5"),
            ("PredictiveLoading:Prefetch:MaxValueBytes", "0"),
            ("PredictiveLoading:Prefetch:BreakerFailureRatio", "0"),
            ("PredictiveLoading:Prefetch:BreakerMinimumThroughput", "1"),
            ("PredictiveLoading:Prefetch:BreakerSamplingDuration", "00:00:00.1"),
            ("PredictiveLoading:Prefetch:BreakDuration", "00:00:00.1"),
            ("PredictiveLoading:Prefetch:Timeout", "00:00:00.005"));
        using IHost host = BuildHost(services =>
        {
            services.AddDistributedMemoryCache();
            services.AddPredictiveLoading(configuration);
        });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("PredictiveLoading:Prefetch:MaxConcurrencyPerSource must be in [1, 4]; was 5", ex.Message, StringComparison.Ordinal);
        Assert.Contains("PredictiveLoading:Prefetch:MaxValueBytes must be at least 1; was 0", ex.Message, StringComparison.Ordinal);
        Assert.Contains("PredictiveLoading:Prefetch:BreakerFailureRatio must be in (0, 1]; was 0", ex.Message, StringComparison.Ordinal);
        Assert.Contains("PredictiveLoading:Prefetch:BreakerMinimumThroughput must be in [2, 10000]; was 1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("PredictiveLoading:Prefetch:BreakerSamplingDuration must be in [00:00:00.5000000, 1.00:00:00]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("PredictiveLoading:Prefetch:BreakDuration must be in [00:00:00.5000000, 1.00:00:00]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("PredictiveLoading:Prefetch:Timeout must be in [00:00:00.0100000, 00:10:00]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddPredictiveLoading_Configuration_BindsTheResilienceAndSizeOptions()
    {
        IConfiguration configuration = Configuration(
            ("PredictiveLoading:Prefetch:MaxConcurrencyPerSource", "3"),
            ("PredictiveLoading:Prefetch:MaxValueBytes", "1048576"),
            ("PredictiveLoading:Prefetch:BreakerFailureRatio", "0.25"),
            ("PredictiveLoading:Prefetch:BreakerMinimumThroughput", "20"),
            ("PredictiveLoading:Prefetch:BreakerSamplingDuration", "00:01:00"),
            ("PredictiveLoading:Prefetch:BreakDuration", "00:00:10"),
            ("PredictiveLoading:Prefetch:MaxBackoff", "00:02:00"));
        var services = new ServiceCollection();
        services.AddPredictiveLoading(configuration);
        using ServiceProvider provider = services.BuildServiceProvider();

        PredictiveCaching.Prefetching.PrefetchOptions prefetch = provider.GetRequiredService<IOptions<PredictiveLoadingOptions>>().Value.Prefetch;

        Assert.Equal(3, prefetch.MaxConcurrencyPerSource);
        Assert.Equal(1048576, prefetch.MaxValueBytes);
        Assert.Equal(0.25, prefetch.BreakerFailureRatio);
        Assert.Equal(20, prefetch.BreakerMinimumThroughput);
        Assert.Equal(TimeSpan.FromMinutes(1), prefetch.BreakerSamplingDuration);
        Assert.Equal(TimeSpan.FromSeconds(10), prefetch.BreakDuration);
        Assert.Equal(TimeSpan.FromMinutes(2), prefetch.MaxBackoff);
    }

    [Fact]
    public void AddPredictiveLoading_Configuration_BindsMechanismsAsAList()
    {
        IConfiguration configuration = Configuration(("PredictiveLoading:Prefetch:Mechanisms", "Expiry, CoAccess"));
        var services = new ServiceCollection();
        services.AddPredictiveLoading(configuration);
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Equal(
            PredictiveCaching.Prefetching.PrefetchMechanisms.Expiry | PredictiveCaching.Prefetching.PrefetchMechanisms.CoAccess,
            provider.GetRequiredService<IOptions<PredictiveLoadingOptions>>().Value.Prefetch.Mechanisms);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AddPredictiveLoading_Configuration_BindsFromRootOrSection(bool passSection)
    {
        IConfiguration root = Configuration(
            ("PredictiveLoading:Tracking:MaxTrackedKeys", "5000"),
            ("PredictiveLoading:Tracking:SuccessorGap", "00:00:02"),
            ("PredictiveLoading:Strategies:Initial", "Conservative"),
            ("PredictiveLoading:Strategies:Balanced:ProbabilityThreshold", "0.75"),
            ("Unrelated:MaxTrackedKeys", "7"));
        var services = new ServiceCollection();
        services.AddDistributedMemoryCache();
        services.AddPredictiveLoading(passSection ? root.GetSection(PredictiveLoadingOptions.SectionName) : root);
        using ServiceProvider provider = services.BuildServiceProvider();

        PredictiveLoadingOptions options = provider.GetRequiredService<IOptions<PredictiveLoadingOptions>>().Value;

        Assert.Equal(5_000, options.Tracking.MaxTrackedKeys);
        Assert.Equal(TimeSpan.FromSeconds(2), options.Tracking.SuccessorGap);
        Assert.Equal(global::PredictiveCaching.Strategies.PrefetchStrategyKind.Conservative, options.Strategies.Initial);
        Assert.Equal(0.75, options.Strategies.Balanced.ProbabilityThreshold);
        Assert.Equal(0.9, options.Strategies.Conservative.ProbabilityThreshold);
        Assert.Equal(5_000, provider.GetRequiredService<AccessTracker>().Capacity);
    }

    private static T InnerOf<T>(IServiceProvider provider)
        where T : IDistributedCache
    {
        PredictiveDistributedCache decorator = Assert.IsAssignableFrom<PredictiveDistributedCache>(provider.GetRequiredService<IDistributedCache>());
        return Assert.IsType<T>(decorator.InnerCache);
    }

    private static IHost BuildHost(Action<IServiceCollection> configure)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        configure(builder.Services);
        return builder.Build();
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build();
}
