using System.Text;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Redis.Coordination;
using PredictiveCaching.Redis.Tests.Infrastructure;
using StackExchange.Redis;

namespace PredictiveCaching.Redis.Tests.Coordination;

/// <summary>
/// A prefetch that began before an application write or removal through another instance must not land after it: the
/// write fences the key's lease in Redis, and the prefetch writes only while its lease holds.
/// </summary>
public sealed class CrossInstanceFenceTests
{
    private static readonly DistributedCacheEntryOptions Entry = new() { AbsoluteExpirationRelativeToNow = PredictiveInstance.Ttl };

    private static string NewInstanceName() => "fence-" + Guid.NewGuid().ToString("N")[..12] + ":";

    [RedisFact]
    public async Task WriteThroughInstanceA_DuringInstanceBsPrefetchLoad_IsNotOverwritten()
    {
        (SharedOrigin origin, PredictiveInstance a, PredictiveInstance b) = await TwoInstancesAsync();
        await using PredictiveInstance first = a;
        await using PredictiveInstance second = b;

        // B begins to prefetch b:customer:4 and its origin is slow...
        origin.HoldPrefetches();
        Assert.Equal(1, (await b.Loader.RunCycleAsync()).Started);
        await origin.PrefetchEntered.WaitAsync(TimeSpan.FromSeconds(10));

        // ...meanwhile the application updates the origin and writes the new value through A, acknowledged.
        byte[] written = "app v1"u8.ToArray();
        await a.Cache.SetAsync("b:customer:4", written, Entry);
        origin.ReleasePrefetches();
        await b.Loader.WaitForPrefetchesAsync();

        Assert.Equal(written, await a.Cache.GetAsync("b:customer:4"));
        Assert.Equal(written, await b.Cache.GetAsync("b:customer:4"));
        Assert.Equal(1, b.Loader.GetStatus().PrefetchesSuperseded);
        Assert.Equal(0, b.Loader.GetStatus().PrefetchesCompleted);
    }

    [RedisFact]
    public async Task RemoveThroughInstanceA_DuringInstanceBsPrefetchLoad_IsNotUndone()
    {
        (SharedOrigin origin, PredictiveInstance a, PredictiveInstance b) = await TwoInstancesAsync();
        await using PredictiveInstance first = a;
        await using PredictiveInstance second = b;

        origin.HoldPrefetches();
        Assert.Equal(1, (await b.Loader.RunCycleAsync()).Started);
        await origin.PrefetchEntered.WaitAsync(TimeSpan.FromSeconds(10));
        await a.Cache.RemoveAsync("b:customer:4");
        origin.ReleasePrefetches();
        await b.Loader.WaitForPrefetchesAsync();

        Assert.Null(await a.Cache.GetAsync("b:customer:4"));
        Assert.Equal(1, b.Loader.GetStatus().PrefetchesSuperseded);
    }

    [RedisFact]
    public async Task SynchronousWriteThroughInstanceA_DuringInstanceBsPrefetchLoad_IsNotOverwritten()
    {
        (SharedOrigin origin, PredictiveInstance a, PredictiveInstance b) = await TwoInstancesAsync();
        await using PredictiveInstance first = a;
        await using PredictiveInstance second = b;

        origin.HoldPrefetches();
        await b.Loader.RunCycleAsync();
        await origin.PrefetchEntered.WaitAsync(TimeSpan.FromSeconds(10));
        byte[] written = "app v1 (sync)"u8.ToArray();
        a.Cache.Set("b:customer:4", written, Entry);
        origin.ReleasePrefetches();
        await b.Loader.WaitForPrefetchesAsync();

        Assert.Equal(written, a.Cache.Get("b:customer:4"));
        Assert.Equal(1, b.Loader.GetStatus().PrefetchesSuperseded);
    }

    /// <summary>Instances A and B on one Redis; B has learned that b:customer:4 follows a:order:17 and just read the trigger.</summary>
    private static async Task<(SharedOrigin Origin, PredictiveInstance A, PredictiveInstance B)> TwoInstancesAsync()
    {
        string endpoint = await RedisTestServer.GetEndpointAsync();
        string instanceName = NewInstanceName();
        var origin = new SharedOrigin();
        PredictiveInstance a = await PredictiveInstance.CreateAsync(endpoint, instanceName, origin);
        PredictiveInstance b = await PredictiveInstance.CreateAsync(endpoint, instanceName, origin);
        await b.LearnSuccessorAsync("a:order:17", "b:customer:4", origin);
        await b.ReadAsync("a:order:17", origin);
        return (origin, a, b);
    }

    [RedisFact]
    public async Task PrefetchWithoutInterveningWrite_LandsInRedisCachesLayout_AndSlidingEntriesStayReadable()
    {
        string endpoint = await RedisTestServer.GetEndpointAsync();
        string instanceName = NewInstanceName();
        await using ConnectionMultiplexer multiplexer = await ConnectionMultiplexer.ConnectAsync(endpoint);
        using var cache = new RedisCache(Options.Create(new RedisCacheOptions { InstanceName = instanceName, ConnectionMultiplexerFactory = () => Task.FromResult<IConnectionMultiplexer>(multiplexer) }));
        var coordinator = new RedisPrefetchCoordinator(Infrastructure.Coordination.Connect(multiplexer, instanceName), TimeProvider.System);
        var options = new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(10), SlidingExpiration = TimeSpan.FromMinutes(2) };

        // The same entry written by RedisCache itself and by a prefetch.
        await cache.SetAsync("by-cache", "v"u8.ToArray(), options);
        PrefetchLease lease = (await coordinator.TryAcquireAsync("by-prefetch", TimeSpan.FromSeconds(10)))!;
        Assert.True(await lease.TryWriteAsync(cache, "by-prefetch", "v"u8.ToArray(), options));
        await lease.DisposeAsync();

        IDatabase redis = multiplexer.GetDatabase();
        HashEntry[] ours = await redis.HashGetAllAsync(instanceName + "by-prefetch");
        HashEntry[] theirs = await redis.HashGetAllAsync(instanceName + "by-cache");
        Assert.Equal(theirs.Select(e => e.Name.ToString()).Order(), ours.Select(e => e.Name.ToString()).Order());
        Assert.Equal((long)theirs.Single(e => e.Name == "sldexp").Value, (long)ours.Single(e => e.Name == "sldexp").Value);
        Assert.InRange((long)ours.Single(e => e.Name == "absexp").Value - (long)theirs.Single(e => e.Name == "absexp").Value, 0, TimeSpan.FromSeconds(5).Ticks);
        TimeSpan? ttl = await redis.KeyTimeToLiveAsync(instanceName + "by-prefetch");
        Assert.InRange(ttl!.Value, TimeSpan.FromSeconds(110), TimeSpan.FromMinutes(2));

        // RedisCache reads it, and its sliding refresh works on it.
        Assert.Equal("v"u8.ToArray(), await cache.GetAsync("by-prefetch"));
        await cache.RefreshAsync("by-prefetch");
        Assert.False(await redis.KeyExistsAsync(RedisPrefetchCoordinator.LeaseKey(new RedisCoordinationOptions { InstanceName = instanceName }, "by-prefetch")), "the write releases the lease");
    }

    [RedisFact]
    public async Task FencedLease_WritesNothing_ThroughRedisCacheOrAnotherCache()
    {
        string endpoint = await RedisTestServer.GetEndpointAsync();
        string instanceName = NewInstanceName();
        await using ConnectionMultiplexer multiplexer = await ConnectionMultiplexer.ConnectAsync(endpoint);
        using var redisCache = new RedisCache(Options.Create(new RedisCacheOptions { InstanceName = instanceName, ConnectionMultiplexerFactory = () => Task.FromResult<IConnectionMultiplexer>(multiplexer) }));
        var memoryCache = new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions()));
        var coordinator = new RedisPrefetchCoordinator(Infrastructure.Coordination.Connect(multiplexer, instanceName), TimeProvider.System);

        PrefetchLease toRedis = (await coordinator.TryAcquireAsync("k1", TimeSpan.FromSeconds(10)))!;
        PrefetchLease toMemory = (await coordinator.TryAcquireAsync("k2", TimeSpan.FromSeconds(10)))!;
        await coordinator.FenceWriteAsync("k1");
        coordinator.FenceWrite("k2");

        Assert.False(await toRedis.TryWriteAsync(redisCache, "k1", "stale"u8.ToArray(), Entry));
        Assert.False(await toMemory.TryWriteAsync(memoryCache, "k2", "stale"u8.ToArray(), Entry));
        Assert.Null(await redisCache.GetAsync("k1"));
        Assert.Null(await memoryCache.GetAsync("k2"));

        // A lease granted after the fence writes as usual, through either cache.
        PrefetchLease later = (await coordinator.TryAcquireAsync("k2", TimeSpan.FromSeconds(10)))!;
        Assert.True(await later.TryWriteAsync(memoryCache, "k2", "fresh"u8.ToArray(), Entry));
        Assert.Equal("fresh", Encoding.UTF8.GetString((await memoryCache.GetAsync("k2"))!));
    }

    [RedisFact]
    public async Task LeaseKey_IsInTheEntrysClusterSlot_WithAndWithoutAHashTag()
    {
        await using ConnectionMultiplexer multiplexer = await ConnectionMultiplexer.ConnectAsync(await RedisTestServer.GetEndpointAsync());
        var options = new RedisCoordinationOptions { InstanceName = "shop:" };
        foreach (string key in new[] { "product:17", "user:{42}:cart", "{}odd", "a{b", "x}{y}" })
        {
            RedisKey lease = RedisPrefetchCoordinator.LeaseKey(options, key);
            Assert.Equal(multiplexer.HashSlot("shop:" + key), multiplexer.HashSlot(lease));
            Assert.NotEqual(RedisPrefetchCoordinator.LeaseKey(options, key + "2"), lease);
        }
    }

    [RedisFact]
    public async Task UseRedisCoordination_WithoutArguments_TakesConnectionAndInstanceNameFromRedisCacheOptions()
    {
        string endpoint = await RedisTestServer.GetEndpointAsync();
        string instanceName = NewInstanceName();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddStackExchangeRedisCache(o =>
        {
            o.Configuration = endpoint;
            o.InstanceName = instanceName;
        });
        services.AddPredictiveLoading().UseRedisCoordination();
        await using ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        RedisCoordinationOptions options = provider.GetRequiredService<IOptions<RedisCoordinationOptions>>().Value;
        Assert.Equal(instanceName, options.InstanceName);
        Assert.Equal(endpoint, options.Configuration);
        Assert.NotNull(await provider.GetRequiredService<IPrefetchCoordinator>().TryAcquireAsync("k", TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void UseRedisCoordination_InstanceNameOtherThanRedisCaches_FailsAtStartNamingBoth()
    {
        var services = new ServiceCollection();
        services.AddStackExchangeRedisCache(o =>
        {
            o.Configuration = "127.0.0.1:1";
            o.InstanceName = "shop:";
        });
        services.AddPredictiveLoading().UseRedisCoordination(o => o.InstanceName = "other:");
        using ServiceProvider provider = services.BuildServiceProvider();

        OptionsValidationException failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RedisCoordinationOptions>>().Value);
        Assert.Contains("PredictiveLoading:RedisCoordination:InstanceName must be the RedisCache's InstanceName 'shop:'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("'other:'", failure.Message, StringComparison.Ordinal);
    }
}
