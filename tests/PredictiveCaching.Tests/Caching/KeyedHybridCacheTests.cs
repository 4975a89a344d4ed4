using System.Reflection;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PredictiveCaching.Caching;
using PredictiveCaching.DependencyInjection;
using PredictiveCaching.Loop.Execution;
using PredictiveCaching.Loop.Outcomes;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Tests.Fakes;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Tests.Caching;

/// <summary>
/// Keyed HybridCaches (<c>AddKeyedHybridCache</c>) are decorated like the default one: reads recorded where they happen,
/// the undecorated L2 (or none over <c>MemoryDistributedCache</c>), application writes fenced, typed prefetches written
/// into the cache their source names; one registered after <c>AddPredictiveLoading()</c> fails start naming its key.
/// </summary>
public sealed class KeyedHybridCacheTests
{
    private const string Products = "products";
    private static readonly HybridCacheEntryOptions Entry = new() { Expiration = TimeSpan.FromSeconds(60) };

    [Fact]
    public async Task KeyedHybridCache_IsDecorated_WithTheUndecoratedL2_AndItsReadsRecorded()
    {
        var time = new FakeTimeProvider();
        var l2 = new FakeTtlCache(time);
        var services = Services(time);
        services.AddSingleton<IDistributedCache>(l2);
        services.AddKeyedHybridCache(Products);
        services.AddPredictiveLoading();
        await using ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        var keyed = Assert.IsType<PredictiveHybridCache>(provider.GetRequiredKeyedService<HybridCache>(Products));
        Assert.Same(l2, BackendOf(keyed.InnerCache));
        int factory = 0;
        for (int i = 0; i < 3; i++)
        {
            await keyed.GetOrCreateAsync("p:1", _ => { factory++; return new ValueTask<string>("origin"); }, Entry);
        }

        Assert.True(provider.GetRequiredService<AccessTracker>().TryGet("p:1", out KeyAccessStatistics? entry));
        Assert.Equal(3, entry.ReadCount);
        Assert.Equal(2, entry.HitCount);
        Assert.True(entry.ReadThroughHybridCache);
        Assert.Equal(1, factory);
        await new DecorationCheck(provider).StartAsync(CancellationToken.None);
    }

    [Fact]
    public async Task KeyedHybridCache_OverMemoryDistributedCache_StillIgnoresItAsL2()
    {
        var services = Services(new FakeTimeProvider());
        services.AddDistributedMemoryCache();
        services.AddKeyedHybridCache(Products).AddPredictiveLoading();
        await using ServiceProvider provider = services.BuildServiceProvider();

        var keyed = Assert.IsType<PredictiveHybridCache>(provider.GetRequiredKeyedService<HybridCache>(Products));
        Assert.Null(BackendOf(keyed.InnerCache));
    }

    [Fact]
    public async Task KeyedHybridCache_NamedOptionsExpiration_IsTheDecoratorsDefault()
    {
        var services = Services(new FakeTimeProvider());
        services.AddSingleton<IDistributedCache>(new FakeTtlCache(new FakeTimeProvider()));
        services.AddKeyedHybridCache(Products, o => o.DefaultEntryOptions = new HybridCacheEntryOptions { Expiration = TimeSpan.FromSeconds(42) });
        services.AddPredictiveLoading();
        await using ServiceProvider provider = services.BuildServiceProvider();

        var keyed = Assert.IsType<PredictiveHybridCache>(provider.GetRequiredKeyedService<HybridCache>(Products));
        Assert.Equal(TimeSpan.FromSeconds(42), keyed.DefaultExpiration);
    }

    [Fact]
    public async Task KeyedHybridCacheRegisteredAfter_FailsStartNamingItsKey()
    {
        var services = Services(new FakeTimeProvider());
        services.AddSingleton<IDistributedCache>(new FakeTtlCache(new FakeTimeProvider()));
        services.AddHybridCache();
        services.AddPredictiveLoading();
        services.AddKeyedHybridCache(Products);
        await using ServiceProvider provider = services.BuildServiceProvider();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new DecorationCheck(provider).StartAsync(CancellationToken.None));
        Assert.Equal(DecorationCheck.KeyedHybridRegisteredAfterMessage(Products), error.Message);
        Assert.Contains("'products'", error.Message, StringComparison.Ordinal);
        Assert.Contains("AddKeyedHybridCache(...).AddPredictiveLoading()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddPredictiveLoadingTwice_DecoratesKeyedOnce_AndALateKeyedCacheIsDecoratedBySecondCall()
    {
        var services = Services(new FakeTimeProvider());
        services.AddSingleton<IDistributedCache>(new FakeTtlCache(new FakeTimeProvider()));
        services.AddKeyedHybridCache(Products).AddPredictiveLoading();
        services.AddKeyedHybridCache("prices");
        services.AddPredictiveLoading();
        await using ServiceProvider provider = services.BuildServiceProvider();

        foreach (string key in new[] { Products, "prices" })
        {
            var decorated = Assert.IsType<PredictiveHybridCache>(provider.GetRequiredKeyedService<HybridCache>(key));
            Assert.IsNotType<PredictiveHybridCache>(decorated.InnerCache);
        }

        await new DecorationCheck(provider).StartAsync(CancellationToken.None);
    }

    [Fact]
    public async Task KeyedHybridSource_WritesIntoThatCache_ServedWithoutItsFactory_NotIntoTheDefaultOne()
    {
        var time = new FakeTimeProvider();
        var sharedL2 = new FakeTtlCache(time);
        var productsL2 = new FakeTtlCache(time);
        var services = Services(time);
        services.AddSingleton<IDistributedCache>(sharedL2);
        services.AddKeyedSingleton<IDistributedCache>("products-l2", productsL2);
        services.AddHybridCache();
        services.AddKeyedHybridCache(Products, o => o.DistributedCacheServiceKey = "products-l2");
        services.AddPredictiveLoading(o => o.Strategies.Adaptive = false)
            .AddKeyedHybridSource<string>(Products, "p:", (key, _) => new ValueTask<string?>("prefetched " + key), Entry);
        await using ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        Assert.Equal(PrefetchStartResult.Started, Start(provider, "p:9"));
        await provider.GetRequiredService<PrefetchExecutor>().WhenIdleAsync();

        HybridCache keyed = provider.GetRequiredKeyedService<HybridCache>(Products);
        Assert.Equal("prefetched p:9", await keyed.GetOrCreateAsync("p:9", static _ => new ValueTask<string>("factory"), Entry));
        // Into the keyed cache's L2, not the default cache's. (Their L1 is the container's one IMemoryCache, shared by
        // every DefaultHybridCache: upstream's choice, and why each keyed cache's keys want their own prefix.)
        Assert.NotNull(productsL2.Peek("p:9"));
        Assert.Null(sharedL2.Peek("p:9"));
        Assert.Equal(1, provider.GetRequiredService<PrefetchStatistics>().Completed);
    }

    [Fact]
    public async Task SetThroughKeyedCache_DuringTypedLoad_PrefetchNeverLands()
    {
        var time = new FakeTimeProvider();
        var release = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var services = Services(time);
        services.AddSingleton<IDistributedCache>(new FakeTtlCache(time));
        services.AddKeyedHybridCache(Products).AddPredictiveLoading(o => o.Strategies.Adaptive = false)
            .AddKeyedHybridSource<string>(Products, "p:", (_, _) => new ValueTask<string?>(release.Task), Entry);
        await using ServiceProvider provider = services.BuildServiceProvider();
        HybridCache keyed = provider.GetRequiredKeyedService<HybridCache>(Products);

        Assert.Equal(PrefetchStartResult.Started, Start(provider, "p:1"));
        await keyed.SetAsync("p:1", "application", Entry);
        release.SetResult("stale prefetch");
        await provider.GetRequiredService<PrefetchExecutor>().WhenIdleAsync();

        Assert.Equal("application", await keyed.GetOrCreateAsync("p:1", static _ => new ValueTask<string>("factory"), Entry));
        Assert.Equal(1, provider.GetRequiredService<PrefetchStatistics>().Superseded);
    }

    private static ServiceCollection Services(FakeTimeProvider time)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(time);
        services.AddMemoryCache(o => o.Clock = new FakeSystemClock(time));
        return services;
    }

    private static PrefetchStartResult Start(IServiceProvider provider, string key)
    {
        PrefetchSource source = provider.GetRequiredService<PrefetchSourceResolver>().Find(key)!;
        return provider.GetRequiredService<PrefetchExecutor>().TryStart(key, source, 64, TimeSpan.FromMinutes(1), 1 << 20);
    }

    // DefaultHybridCache keeps its L2 in an internal property; upstream's own tests read the same one.
    private static IDistributedCache? BackendOf(HybridCache cache) =>
        (IDistributedCache?)cache.GetType().GetProperty("BackendCache", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(cache);
}
