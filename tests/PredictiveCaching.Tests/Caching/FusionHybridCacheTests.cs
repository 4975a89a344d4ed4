using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using PredictiveCaching.Caching;
using PredictiveCaching.Loop.Execution;
using PredictiveCaching.Loop.Outcomes;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Resources;
using PredictiveCaching.Tests.Fakes;
using PredictiveCaching.Tracking;
using ZiggyCreatures.Caching.Fusion;

namespace PredictiveCaching.Tests.Caching;

/// <summary>FusionCache registered as HybridCache (its adapter) is decorated and served by typed prefetches like Microsoft's.</summary>
public sealed class FusionHybridCacheTests
{
    [Fact]
    public async Task FusionCacheAdapter_IsDecorated_ReadsRecorded_TypedPrefetchServedWithoutFactory()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IDistributedCache>(new FakeTtlCache(new FakeTimeProvider()));
        services.AddFusionCache().AsHybridCache();
        services.AddPredictiveLoading(o => o.Strategies.Adaptive = false)
            .AddHybridSource<string>("p:", (key, _) => new ValueTask<string?>("prefetched " + key), new HybridCacheEntryOptions { Expiration = TimeSpan.FromMinutes(1) });
        services.RemoveAll<IResourceProbe>();
        await using ServiceProvider provider = services.BuildServiceProvider();

        var hybrid = Assert.IsType<PredictiveHybridCache>(provider.GetRequiredService<HybridCache>());
        Assert.Contains("Fusion", hybrid.InnerCache.GetType().Name, StringComparison.Ordinal);

        var executor = provider.GetRequiredService<PrefetchExecutor>();
        PrefetchSource source = provider.GetRequiredService<PrefetchSourceResolver>().Find("p:1")!;
        Assert.Equal(PrefetchStartResult.Started, executor.TryStart("p:1", source, 64, TimeSpan.FromMinutes(1), 1 << 20));
        await executor.WhenIdleAsync();

        int factory = 0;
        string value = await hybrid.GetOrCreateAsync("p:1", _ =>
        {
            factory++;
            return new ValueTask<string>("origin");
        });

        Assert.Equal("prefetched p:1", value);
        Assert.Equal(0, factory);
        Assert.True(provider.GetRequiredService<AccessTracker>().TryGet("p:1", out KeyAccessStatistics? entry));
        Assert.Equal(1, entry.HitCount);
        Assert.Equal(1, provider.GetRequiredService<PrefetchPrecision>().UsedCount);
    }
}
