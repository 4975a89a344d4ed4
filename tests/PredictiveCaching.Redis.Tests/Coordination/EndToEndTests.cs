using Microsoft.Extensions.Caching.Distributed;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Redis.Tests.Infrastructure;
using StackExchange.Redis;

namespace PredictiveCaching.Redis.Tests.Coordination;

public sealed class EndToEndTests
{
    private static string NewInstanceName() => "e2e-" + Guid.NewGuid().ToString("N")[..12] + ":";

    [RedisFact]
    public async Task Successor_ThroughRedisCache_IsPrefetchedIntoRedisAndServesTheRead()
    {
        string endpoint = await RedisTestServer.GetEndpointAsync();
        string instanceName = NewInstanceName();
        var origin = new SharedOrigin();
        await using PredictiveInstance app = await PredictiveInstance.CreateAsync(endpoint, instanceName, origin);
        await app.LearnSuccessorAsync("a:order:17", "b:customer:4", origin);
        int appLoadsBefore = origin.AppLoadsOf("b:customer:4");

        await app.ReadAsync("a:order:17", origin);
        PrefetchCycleResult result = await app.CycleAsync();

        Assert.Equal(1, result.Started);
        Assert.Equal(1, origin.PrefetchLoadsOf("b:customer:4"));

        // The prefetched copy is in Redis, as RedisCache stores it, with the source's time to live.
        IDatabase redis = app.Multiplexer.GetDatabase();
        Assert.Equal(SharedOrigin.ValueOf("b:customer:4"), (byte[]?)await redis.HashGetAsync(instanceName + "b:customer:4", "data"));
        TimeSpan? ttl = await redis.KeyTimeToLiveAsync(instanceName + "b:customer:4");
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(4), PredictiveInstance.Ttl);

        app.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await app.ReadAsync("b:customer:4", origin, write: false));
        Assert.Equal(appLoadsBefore, origin.AppLoadsOf("b:customer:4"));
        Assert.Equal(1, app.Loader.GetStatus().PrefetchesCompleted);
    }

    [RedisFact]
    public async Task TwoInstances_PredictingTheSameKeyTogether_LoadItFromTheOriginOnce()
    {
        string endpoint = await RedisTestServer.GetEndpointAsync();
        string instanceName = NewInstanceName();
        var origin = new SharedOrigin();
        await using PredictiveInstance first = await PredictiveInstance.CreateAsync(endpoint, instanceName, origin);
        await using PredictiveInstance second = await PredictiveInstance.CreateAsync(endpoint, instanceName, origin);
        await first.LearnSuccessorAsync("a:order:17", "b:customer:4", origin);
        await second.LearnSuccessorAsync("a:order:17", "b:customer:4", origin);
        await first.ReadAsync("a:order:17", origin);
        await second.ReadAsync("a:order:17", origin);

        // The first instance takes the lease and holds it while its load is in progress...
        origin.HoldPrefetches();
        PrefetchCycleResult firstCycle = await first.Loader.RunCycleAsync();
        await origin.PrefetchEntered.WaitAsync(TimeSpan.FromSeconds(10));

        // ...so the second, predicting the same key meanwhile, is denied and skips it.
        PrefetchCycleResult secondCycle = await second.CycleAsync();
        origin.ReleasePrefetches();
        await first.Loader.WaitForPrefetchesAsync();

        Assert.Equal(1, firstCycle.Started);
        Assert.Equal(1, secondCycle.Started);
        Assert.Equal(1, origin.PrefetchLoadsOf("b:customer:4"));
        Assert.Equal(1, first.Loader.GetStatus().PrefetchesCompleted);
        Assert.Equal(1, second.Loader.GetStatus().PrefetchesNotGranted);
        Assert.Equal(0, second.Loader.GetStatus().PrefetchesStarted);

        // Both instances now read the one prefetched copy.
        Assert.True(await first.ReadAsync("b:customer:4", origin, write: false));
        Assert.True(await second.ReadAsync("b:customer:4", origin, write: false));
    }

    [RedisFact]
    public async Task KeyWrittenByAnotherInstance_IsFoundByTheTtlLookupAndSkippedAsPresent()
    {
        string endpoint = await RedisTestServer.GetEndpointAsync();
        string instanceName = NewInstanceName();
        var origin = new SharedOrigin();
        await using PredictiveInstance first = await PredictiveInstance.CreateAsync(endpoint, instanceName, origin);
        await using PredictiveInstance second = await PredictiveInstance.CreateAsync(endpoint, instanceName, origin);
        await first.LearnSuccessorAsync("a:order:17", "b:customer:4", origin);
        await second.LearnSuccessorAsync("a:order:17", "b:customer:4", origin);

        await first.ReadAsync("a:order:17", origin);
        Assert.Equal(1, (await first.CycleAsync()).Started);

        // The second instance never saw that write: its tracker believes b:customer:4 absent (its last read missed).
        await second.ReadAsync("a:order:17", origin);
        PrefetchCycleResult result = await second.CycleAsync();

        Assert.Equal(0, result.Started);
        Assert.True(result.SkippedPresent >= 1, "the TTL lookup should have found the other instance's copy");
        Assert.Equal(1, origin.PrefetchLoadsOf("b:customer:4"));
        Assert.Equal(0, second.Loader.GetStatus().PrefetchesNotGranted);
    }

    [RedisFact]
    public async Task ApplicationWrite_DuringAPrefetchLoad_IsNotOverwritten()
    {
        string endpoint = await RedisTestServer.GetEndpointAsync();
        var origin = new SharedOrigin();
        await using PredictiveInstance app = await PredictiveInstance.CreateAsync(endpoint, NewInstanceName(), origin);
        await app.LearnSuccessorAsync("a:order:17", "b:customer:4", origin);
        await app.ReadAsync("a:order:17", origin);

        origin.HoldPrefetches();
        await app.Loader.RunCycleAsync();
        await origin.PrefetchEntered.WaitAsync(TimeSpan.FromSeconds(10));
        byte[] written = "written by the application"u8.ToArray();
        await app.Cache.SetAsync("b:customer:4", written, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = PredictiveInstance.Ttl });
        origin.ReleasePrefetches();
        await app.Loader.WaitForPrefetchesAsync();

        Assert.Equal(written, await app.Cache.GetAsync("b:customer:4"));
        Assert.Equal(1, app.Loader.GetStatus().PrefetchesSuperseded);
    }
}
