using System.Text;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Redis.Tests.Infrastructure;

namespace PredictiveCaching.Redis.Tests.Coordination;

/// <summary>
/// Typed prefetches (written through HybridCache, which writes its L2 itself) keep the cross-instance fence: an
/// application write or removal through another instance's HybridCache deletes the lease, and the prefetch, which claims
/// its lease before HybridCache writes, then writes nothing.
/// </summary>
public sealed class HybridCacheFenceTests
{
    private static readonly HybridCacheEntryOptions Entry = new() { Expiration = PredictiveInstance.Ttl };

    // The learning reads of the partner store nothing, so each of them is a miss to prefetch for.
    private static readonly HybridCacheEntryOptions Uncached = new()
    {
        Flags = HybridCacheEntryFlags.DisableLocalCacheWrite | HybridCacheEntryFlags.DisableDistributedCacheWrite,
    };

    [RedisFact]
    public async Task SetThroughInstanceAsHybridCache_DuringInstanceBsTypedPrefetch_IsNotOverwritten()
    {
        await using var pair = await HybridPair.CreateAsync();
        await pair.StartHeldPrefetchOnBAsync();

        await pair.A.SetAsync("h:customer:4", "app v1", Entry);
        pair.Origin.ReleasePrefetches();
        await pair.B.Instance.Loader.WaitForPrefetchesAsync();

        Assert.Equal("app v1", await pair.B.Cache.GetOrCreateAsync("h:customer:4", static _ => new ValueTask<string>("factory"), Entry));
        Assert.Equal(1, pair.B.Instance.Loader.GetStatus().PrefetchesSuperseded);
        Assert.Equal(0, pair.B.Instance.Loader.GetStatus().PrefetchesCompleted);
    }

    [RedisFact]
    public async Task RemoveThroughInstanceAsHybridCache_DuringInstanceBsTypedPrefetch_IsNotUndone()
    {
        await using var pair = await HybridPair.CreateAsync();
        await pair.StartHeldPrefetchOnBAsync();

        await pair.A.RemoveAsync("h:customer:4");
        pair.Origin.ReleasePrefetches();
        await pair.B.Instance.Loader.WaitForPrefetchesAsync();

        Assert.Equal("factory", await pair.B.Cache.GetOrCreateAsync("h:customer:4", static _ => new ValueTask<string>("factory"), Entry));
        Assert.Equal(1, pair.B.Instance.Loader.GetStatus().PrefetchesSuperseded);
    }

    [RedisFact]
    public async Task TypedPrefetchWithoutInterveningWrite_IsServedByTheOtherInstancesHybridCache()
    {
        await using var pair = await HybridPair.CreateAsync();
        await pair.StartHeldPrefetchOnBAsync();

        pair.Origin.ReleasePrefetches();
        await pair.B.Instance.Loader.WaitForPrefetchesAsync();

        // A never read it: its HybridCache finds B's prefetch in L2 (HybridCache's own framing) and calls no factory.
        string expected = Encoding.UTF8.GetString(SharedOrigin.ValueOf("h:customer:4"));
        Assert.Equal(expected, await pair.A.GetOrCreateAsync("h:customer:4", static _ => new ValueTask<string>("factory"), Entry));
        Assert.Equal(1, pair.B.Instance.Loader.GetStatus().PrefetchesCompleted);
    }

    private sealed class HybridPair : IAsyncDisposable
    {
        private HybridPair(PredictiveInstance a, PredictiveInstance b, SharedOrigin origin)
        {
            Origin = origin;
            A = a.Provider.GetRequiredService<HybridCache>();
            B = (b.Provider.GetRequiredService<HybridCache>(), b);
            InstanceA = a;
        }

        public SharedOrigin Origin { get; }

        public HybridCache A { get; }

        public (HybridCache Cache, PredictiveInstance Instance) B { get; }

        private PredictiveInstance InstanceA { get; }

        public static async Task<HybridPair> CreateAsync()
        {
            string endpoint = await RedisTestServer.GetEndpointAsync();
            string instanceName = "hybrid-fence-" + Guid.NewGuid().ToString("N")[..12] + ":";
            var origin = new SharedOrigin();
            PredictiveInstance a = await PredictiveInstance.CreateAsync(endpoint, instanceName, origin, s => AddHybrid(s, origin));
            PredictiveInstance b = await PredictiveInstance.CreateAsync(endpoint, instanceName, origin, s => AddHybrid(s, origin));
            return new HybridPair(a, b, origin);
        }

        /// <summary>B learns that h:customer:4 follows a:order:17, reads a:order:17, and begins a prefetch the origin holds.</summary>
        public async Task StartHeldPrefetchOnBAsync()
        {
            HybridCache b = B.Cache;
            for (int i = 0; i < 4; i++)
            {
                await b.GetOrCreateAsync("a:order:17", static _ => new ValueTask<string>("order"), Entry);
                B.Instance.Time.Advance(TimeSpan.FromSeconds(1));
                await b.GetOrCreateAsync("h:customer:4", static _ => new ValueTask<string>("customer"), Uncached);
                B.Instance.Time.Advance(TimeSpan.FromSeconds(30));
            }

            await b.GetOrCreateAsync("a:order:17", static _ => new ValueTask<string>("order"), Entry);
            Origin.HoldPrefetches();
            Assert.Equal(1, (await B.Instance.Loader.RunCycleAsync()).Started);
            await Origin.PrefetchEntered.WaitAsync(TimeSpan.FromSeconds(10));
        }

        public async ValueTask DisposeAsync()
        {
            Origin.ReleasePrefetches();
            await B.Instance.DisposeAsync();
            await InstanceA.DisposeAsync();
        }

        private static void AddHybrid(IServiceCollection services, SharedOrigin origin) =>
            services.AddHybridCache().AddPredictiveLoading()
                .AddHybridSource<string>("h:", async (key, ct) => await origin.PrefetchLoadAsync(key, ct) is { } bytes ? Encoding.UTF8.GetString(bytes) : null, Entry);
    }
}
