using System.Text;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Redis.Tests.Infrastructure;
using StackExchange.Redis;

namespace PredictiveCaching.Redis.Tests.Coordination;

/// <summary>
/// Typed prefetches (written through HybridCache, which writes its L2 itself) keep the cross-instance fence: an
/// application write or removal through another instance's HybridCache deletes the lease, a tag removal moves the tag
/// epoch, and the prefetch, which checks both before HybridCache writes, then writes nothing; one that comes while
/// HybridCache is writing is found by the check after the write, which takes the value back out.
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

    [RedisFact]
    public async Task RemoveByTagThroughInstanceA_DuringInstanceBsTypedPrefetch_WritesNothing()
    {
        await using var pair = await HybridPair.CreateAsync();
        await pair.StartHeldPrefetchOnBAsync();

        // Only A's process sees this removal; B's in-process tag fence does not move.
        await pair.A.RemoveByTagAsync(HybridPair.Tag);
        pair.Origin.ReleasePrefetches();
        await pair.B.Instance.Loader.WaitForPrefetchesAsync();

        Assert.Equal(0, pair.B.Instance.Loader.GetStatus().PrefetchesCompleted);
        Assert.Equal(1, pair.B.Instance.Loader.GetStatus().PrefetchesSuperseded);
        Assert.False(await pair.L2ContainsAsync("h:customer:4"));
        Assert.Equal("factory", await pair.B.Cache.GetOrCreateAsync("h:customer:4", static _ => new ValueTask<string>("factory"), Entry));
        Assert.Equal("factory", await pair.A.GetOrCreateAsync("h:customer:4", static _ => new ValueTask<string>("factory"), Entry));
    }

    [RedisFact]
    public async Task RemoveByTagThroughInstanceA_BeforeInstanceBsPrefetchBegan_DoesNotFenceIt()
    {
        await using var pair = await HybridPair.CreateAsync();
        await pair.A.RemoveByTagAsync(HybridPair.Tag);
        await pair.StartHeldPrefetchOnBAsync();

        pair.Origin.ReleasePrefetches();
        await pair.B.Instance.Loader.WaitForPrefetchesAsync();

        Assert.Equal(1, pair.B.Instance.Loader.GetStatus().PrefetchesCompleted);
        Assert.True(await pair.L2ContainsAsync("h:customer:4"));
        string expected = Encoding.UTF8.GetString(SharedOrigin.ValueOf("h:customer:4"));
        Assert.Equal(expected, await pair.A.GetOrCreateAsync("h:customer:4", static _ => new ValueTask<string>("factory"), Entry));
    }

    [RedisFact]
    public async Task SetThroughInstanceA_WhileInstanceBsHybridCacheWritesItsL2_IsNotLeftUnderThePrefetch()
    {
        await using var pair = await HybridPair.CreateAsync(gateL2OfB: true);
        await pair.StartHeldPrefetchOnBAsync();

        // B's lease checks out and HybridCache starts writing B's L2; the write is held there.
        pair.GateB.Hold("h:customer:4");
        pair.Origin.ReleasePrefetches();
        await pair.GateB.Entered.WaitAsync(TimeSpan.FromSeconds(10));

        // Meanwhile the application writes through A, acknowledged, and only then does B's L2 write land over it.
        await pair.A.SetAsync("h:customer:4", "app v1", Entry);
        pair.GateB.Release();
        await pair.B.Instance.Loader.WaitForPrefetchesAsync();

        // The check after B's write finds the lease gone and takes the prefetch back out: a miss, never the older value.
        Assert.False(await pair.L2ContainsAsync("h:customer:4"));
        Assert.Equal(0, pair.B.Instance.Loader.GetStatus().PrefetchesCompleted);
        Assert.Equal(1, pair.B.Instance.Loader.GetStatus().PrefetchesSuperseded);
        Assert.Equal("factory", await pair.B.Cache.GetOrCreateAsync("h:customer:4", static _ => new ValueTask<string>("factory"), Entry));
    }

    [RedisFact]
    public async Task RemoveByTagThroughInstanceA_WhileInstanceBsHybridCacheWritesItsL2_IsUndone()
    {
        await using var pair = await HybridPair.CreateAsync(gateL2OfB: true);
        await pair.StartHeldPrefetchOnBAsync();

        pair.GateB.Hold("h:customer:4");
        pair.Origin.ReleasePrefetches();
        await pair.GateB.Entered.WaitAsync(TimeSpan.FromSeconds(10));

        await pair.A.RemoveByTagAsync(HybridPair.Tag);
        pair.GateB.Release();
        await pair.B.Instance.Loader.WaitForPrefetchesAsync();

        Assert.False(await pair.L2ContainsAsync("h:customer:4"));
        Assert.Equal(1, pair.B.Instance.Loader.GetStatus().PrefetchesSuperseded);
        Assert.Equal("factory", await pair.B.Cache.GetOrCreateAsync("h:customer:4", static _ => new ValueTask<string>("factory"), Entry));
    }

    [RedisFact]
    public async Task TypedPrefetchWithGatedL2_WithoutInterveningWrite_Stands()
    {
        // The same held L2 write as above with nothing in between: the check after it confirms the value.
        await using var pair = await HybridPair.CreateAsync(gateL2OfB: true);
        await pair.StartHeldPrefetchOnBAsync();

        pair.GateB.Hold("h:customer:4");
        pair.Origin.ReleasePrefetches();
        await pair.GateB.Entered.WaitAsync(TimeSpan.FromSeconds(10));
        pair.GateB.Release();
        await pair.B.Instance.Loader.WaitForPrefetchesAsync();

        Assert.Equal(1, pair.B.Instance.Loader.GetStatus().PrefetchesCompleted);
        Assert.True(await pair.L2ContainsAsync("h:customer:4"));
    }

    private sealed class HybridPair : IAsyncDisposable
    {
        public const string Tag = "customers";
        private const string GatedL2Key = "gated-l2";

        private readonly string _instanceName;

        private HybridPair(PredictiveInstance a, PredictiveInstance b, SharedOrigin origin, string instanceName)
        {
            _instanceName = instanceName;
            Origin = origin;
            A = a.Provider.GetRequiredService<HybridCache>();
            B = (b.Provider.GetRequiredService<HybridCache>(), b);
            InstanceA = a;
        }

        public SharedOrigin Origin { get; }

        /// <summary>Gets the gate on B's L2 (with <c>gateL2OfB</c>): HybridCache's writes of a held key wait at it.</summary>
        public GatedDistributedCache GateB => (GatedDistributedCache)B.Instance.Provider.GetRequiredKeyedService<IDistributedCache>(GatedL2Key);

        public HybridCache A { get; }

        public (HybridCache Cache, PredictiveInstance Instance) B { get; }

        private PredictiveInstance InstanceA { get; }

        public static async Task<HybridPair> CreateAsync(bool gateL2OfB = false)
        {
            string endpoint = await RedisTestServer.GetEndpointAsync();
            string instanceName = "hybrid-fence-" + Guid.NewGuid().ToString("N")[..12] + ":";
            var origin = new SharedOrigin();
            PredictiveInstance a = await PredictiveInstance.CreateAsync(endpoint, instanceName, origin, s => AddHybrid(s, origin));
            PredictiveInstance b = await PredictiveInstance.CreateAsync(endpoint, instanceName, origin, s =>
            {
                AddHybrid(s, origin);
                if (gateL2OfB)
                {
                    // HybridCache's L2 on B: a RedisCache of its own over the same options, behind a gate; an L2 named by
                    // the application is honoured by the decoration.
                    s.AddKeyedSingleton<IDistributedCache>(GatedL2Key, static (sp, _) => new GatedDistributedCache(new RedisCache(sp.GetRequiredService<IOptions<RedisCacheOptions>>())));
                    s.Configure<HybridCacheOptions>(o => o.DistributedCacheServiceKey = GatedL2Key);
                }
            });
            return new HybridPair(a, b, origin, instanceName);
        }

        /// <summary>Whether Redis holds an L2 entry for <paramref name="key"/> (RedisCache's hash), whoever wrote it.</summary>
        public Task<bool> L2ContainsAsync(string key) => InstanceA.Multiplexer.GetDatabase().KeyExistsAsync(_instanceName + key);

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
            (B.Instance.Provider.GetKeyedService<IDistributedCache>(GatedL2Key) as GatedDistributedCache)?.Release();
            await B.Instance.DisposeAsync();
            await InstanceA.DisposeAsync();
        }

        private static void AddHybrid(IServiceCollection services, SharedOrigin origin) =>
            services.AddHybridCache().AddPredictiveLoading()
                .AddHybridSource<string>("h:", async (key, ct) => await origin.PrefetchLoadAsync(key, ct) is { } bytes ? Encoding.UTF8.GetString(bytes) : null, Entry, [Tag]);
    }

    /// <summary>An L2 whose <c>SetAsync</c> of a held key waits until released, so a test can act while HybridCache writes.</summary>
    private sealed class GatedDistributedCache(RedisCache inner) : IDistributedCache, IDisposable
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private volatile string? _held;

        public Task Entered => _entered.Task;

        public void Hold(string key) => _held = key;

        public void Release() => _release.TrySetResult();

        public byte[]? Get(string key) => inner.Get(key);

        public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => inner.GetAsync(key, token);

        public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => inner.Set(key, value, options);

        public async Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
        {
            if (string.Equals(key, _held, StringComparison.Ordinal))
            {
                _entered.TrySetResult();
                await _release.Task.WaitAsync(TimeSpan.FromSeconds(30), token);
            }

            await inner.SetAsync(key, value, options, token);
        }

        public void Refresh(string key) => inner.Refresh(key);

        public Task RefreshAsync(string key, CancellationToken token = default) => inner.RefreshAsync(key, token);

        public void Remove(string key) => inner.Remove(key);

        public Task RemoveAsync(string key, CancellationToken token = default) => inner.RemoveAsync(key, token);

        public void Dispose() => inner.Dispose();
    }
}
