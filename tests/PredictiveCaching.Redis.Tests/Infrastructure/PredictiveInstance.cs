using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Testing;
using StackExchange.Redis;

namespace PredictiveCaching.Redis.Tests.Infrastructure;

/// <summary>
/// One application instance: its own multiplexer and container, <c>RedisCache</c> as the inner cache under the predictive
/// decorator, a source over the shared origin and Redis coordination over the application's multiplexer. Cycles are run
/// by the test in virtual time.
/// </summary>
internal sealed class PredictiveInstance : IAsyncDisposable
{
    public static readonly TimeSpan Ttl = TimeSpan.FromMinutes(5);

    private PredictiveInstance(ServiceProvider provider, IConnectionMultiplexer multiplexer, FakeTimeProvider time)
    {
        Provider = provider;
        Multiplexer = multiplexer;
        Time = time;
        Cache = provider.GetRequiredService<IDistributedCache>();
        Loader = provider.GetRequiredService<IPredictiveLoader>();
    }

    public ServiceProvider Provider { get; }

    public IConnectionMultiplexer Multiplexer { get; }

    public FakeTimeProvider Time { get; }

    public IDistributedCache Cache { get; }

    public IPredictiveLoader Loader { get; }

    public static async Task<PredictiveInstance> CreateAsync(string endpoint, string instanceName, SharedOrigin origin, Action<IServiceCollection>? configure = null)
    {
        IConnectionMultiplexer multiplexer = await ConnectionMultiplexer.ConnectAsync(endpoint + ",abortConnect=false");
        FakeTimeProvider time = VirtualTime.Create();
        var services = new ServiceCollection();
        services.AddVirtualTime(time);
        services.AddSingleton(multiplexer);
        services.AddStackExchangeRedisCache(o =>
        {
            o.InstanceName = instanceName;
            o.ConnectionMultiplexerFactory = () => Task.FromResult(multiplexer);
        });
        services.AddPredictiveLoadingForTests()
            .AddSource("b:", async (key, ct) => await origin.PrefetchLoadAsync(key, ct) is { } bytes
                ? new PrefetchedValue(bytes, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = Ttl })
                : null)
            .UseRedisCoordination(o => o.InstanceName = instanceName);
        configure?.Invoke(services);
        return new PredictiveInstance(services.BuildValidated(), multiplexer, time);
    }

    /// <summary>Cache-aside read: on a miss, load from the origin and (when <paramref name="write"/>) write it back.</summary>
    public async Task<bool> ReadAsync(string key, SharedOrigin origin, bool write = true)
    {
        if (await Cache.GetAsync(key) is not null)
        {
            return true;
        }

        byte[] value = origin.AppLoad(key);
        if (write)
        {
            await Cache.SetAsync(key, value, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = Ttl });
        }

        return false;
    }

    /// <summary>
    /// Teaches the successor link: <paramref name="first"/> (kept in the cache) is always followed a second later by
    /// <paramref name="second"/>, which the application reads but does not cache, so every read of it misses.
    /// </summary>
    public async Task LearnSuccessorAsync(string first, string second, SharedOrigin origin, int rounds = 4)
    {
        for (int i = 0; i < rounds; i++)
        {
            await ReadAsync(first, origin);
            Time.Advance(TimeSpan.FromSeconds(1));
            await ReadAsync(second, origin, write: false);
            Time.Advance(TimeSpan.FromSeconds(30));
        }
    }

    public async Task<PrefetchCycleResult> CycleAsync()
    {
        PrefetchCycleResult result = await Loader.RunCycleAsync();
        await Loader.WaitForPrefetchesAsync();
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        await Provider.DisposeAsync();
        await Multiplexer.DisposeAsync();
    }
}
