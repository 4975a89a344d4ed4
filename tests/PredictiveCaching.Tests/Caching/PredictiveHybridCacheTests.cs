using System.Reflection;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using PredictiveCaching.Caching;
using PredictiveCaching.DependencyInjection;
using PredictiveCaching.Loop.Execution;
using PredictiveCaching.Loop.Outcomes;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Resources;
using PredictiveCaching.Tests.Fakes;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Tests.Caching;

/// <summary>
/// HybridCache with predictive loading: its reads recorded where they happen, typed prefetches it serves without calling
/// its factory, the write and tag fences, and upstream's own L2 choices (the checks of its ServiceConstructionTests and L2
/// tests, restated here) kept with the library registered.
/// </summary>
public sealed class PredictiveHybridCacheTests
{
    private static readonly HybridCacheEntryOptions Entry = new() { Expiration = TimeSpan.FromSeconds(60) };

    // --- upstream's construction and L2 behaviour, with the library registered ---

    [Fact]
    public async Task DefaultMemoryDistributedCache_IsIgnoredAsL2_WithPredictiveLoading()
    {
        var services = new ServiceCollection();
        services.AddDistributedMemoryCache();
        services.AddHybridCache().AddPredictiveLoading();
        await using ServiceProvider provider = services.BuildServiceProvider();

        HybridCache inner = InnerOf(provider);
        Assert.Null(BackendOf(inner));
        await provider.GetRequiredService<HybridCache>().SetAsync("k", "v");
        var memory = (PredictiveDistributedCache)provider.GetRequiredService<IDistributedCache>();
        Assert.IsType<MemoryDistributedCache>(memory.InnerCache);
        Assert.Null(await memory.InnerCache.GetAsync("k"));
    }

    [Fact]
    public async Task RealL2_IsUsed_Undecorated()
    {
        var time = new FakeTimeProvider();
        var l2 = new FakeTtlCache(time);
        var services = new ServiceCollection();
        services.AddSingleton<IDistributedCache>(l2);
        services.AddHybridCache();
        services.AddPredictiveLoading();
        await using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Same(l2, BackendOf(InnerOf(provider)));
        await provider.GetRequiredService<HybridCache>().SetAsync("k", "v");
        Assert.NotNull(l2.Peek("k"));
    }

    [Fact]
    public async Task KeyedL2_IsHonoured()
    {
        var time = new FakeTimeProvider();
        var shared = new FakeTtlCache(time);
        var keyed = new FakeTtlCache(time);
        var services = new ServiceCollection();
        services.AddSingleton<IDistributedCache>(shared);
        services.AddKeyedSingleton<IDistributedCache>("mine", keyed);
        services.AddHybridCache(o => o.DistributedCacheServiceKey = "mine");
        services.AddPredictiveLoading();
        await using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Same(keyed, BackendOf(InnerOf(provider)));
        await provider.GetRequiredService<HybridCache>().SetAsync("k", "v");
        Assert.NotNull(keyed.Peek("k"));
        Assert.Null(shared.Peek("k"));
    }

    // --- registration ---

    [Fact]
    public async Task HybridCacheRegisteredAfter_FailsStartWithInstructions()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IDistributedCache>(new FakeTtlCache(new FakeTimeProvider()));
        services.AddPredictiveLoading();
        services.AddHybridCache();
        await using ServiceProvider provider = services.BuildServiceProvider();
        var check = new DecorationCheck(provider);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => check.StartAsync(CancellationToken.None));
        Assert.Contains("AddHybridCache(...).AddPredictiveLoading()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddPredictiveLoadingTwice_DecoratesOnce_AndLateHybridCacheIsDecoratedBySecondCall()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IDistributedCache>(new FakeTtlCache(new FakeTimeProvider()));
        services.AddPredictiveLoading();
        services.AddHybridCache().AddPredictiveLoading();
        services.AddPredictiveLoading();
        await using ServiceProvider provider = services.BuildServiceProvider();

        var decorated = Assert.IsType<PredictiveHybridCache>(provider.GetRequiredService<HybridCache>());
        Assert.IsNotType<PredictiveHybridCache>(decorated.InnerCache);
        await new DecorationCheck(provider).StartAsync(CancellationToken.None);
    }

    // --- reads recorded where they happen ---

    [Fact]
    public async Task GetOrCreate_RecordsL1HitsAndMisses_L2ReadsNotCountedTwice()
    {
        await using HybridHarness h = HybridHarness.Create();

        Assert.False(await h.ReadAsync("p:1"));
        Assert.True(await h.ReadAsync("p:1"));
        Assert.True(await h.ReadAsync("p:1"));

        Assert.True(h.Tracker.TryGet("p:1", out KeyAccessStatistics? entry));
        Assert.Equal(3, entry.ReadCount);
        Assert.Equal(2, entry.HitCount);
        Assert.True(entry.ReadThroughHybridCache);
        // The copy HybridCache stored on the miss, with its expiry: what predicting the next expiry needs.
        Assert.Equal(TimeSpan.FromSeconds(60).Ticks, entry.LastTimeToLiveTicks);
        Assert.Equal(1, h.Factory);
    }

    [Fact]
    public async Task L1Hit_ThroughTheDecorator_ReferenceTypeState_AllocatesNoMoreThanTheInnerCache()
    {
        (long raw, long decorated, long hits) = await MeasureL1HitsAsync("state");

        Assert.True(decorated <= raw, $"decorated {decorated} B, inner {raw} B for 10 000 L1 hits");
        Assert.Equal(10_100, hits); // the first read was the miss
    }

    [Fact]
    public async Task L1Hit_ThroughTheDecorator_ValueTypeState_AllocatesOnlyItsBox()
    {
        // The decorator's own state erases the application's (see PredictiveHybridCache.ErasedState, for NativeAOT): an
        // int state is boxed, 24 B on 64-bit, and nothing else is added.
        (long raw, long decorated, long hits) = await MeasureL1HitsAsync(42);

        Assert.True(decorated - raw <= 10_000 * 24, $"decorated {decorated} B, inner {raw} B for 10 000 L1 hits");
        Assert.True(decorated > raw, "an int state is boxed");
        Assert.Equal(10_100, hits);
    }

    private static async Task<(long Raw, long Decorated, long Hits)> MeasureL1HitsAsync<TState>(TState state)
    {
        await using HybridHarness h = HybridHarness.Create();
        await h.ReadAsync("p:1");
        HybridCache inner = ((PredictiveHybridCache)h.Hybrid).InnerCache;
        Func<TState, CancellationToken, ValueTask<string>> factory = static (_, _) => new ValueTask<string>("unused");
        bool synchronous = true;
        for (int i = 0; i < 100; i++)
        {
            synchronous &= L1Hit(h.Hybrid, state, factory);
            synchronous &= L1Hit(inner, state, factory);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            synchronous &= L1Hit(inner, state, factory);
        }

        long raw = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            synchronous &= L1Hit(h.Hybrid, state, factory);
        }

        long decorated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(synchronous);
        Assert.True(h.Tracker.TryGet("p:1", out KeyAccessStatistics? entry));
        return (raw, decorated, entry.HitCount);
    }

    // --- typed prefetches HybridCache serves ---

    [Fact]
    public async Task RhythmLongerThanTtl_TypedPrefetch_ServedWithoutFactory_CountedUsed()
    {
        await using HybridHarness h = HybridHarness.Create();

        // Read every 90 s, TTL 60 s: without prefetching every read is a miss.
        int hitsAfterTraining = 0;
        for (int round = 0; round < 12; round++)
        {
            bool hit = await h.ReadAsync("p:1");
            if (round >= 6 && hit)
            {
                hitsAfterTraining++;
            }

            await h.AdvanceAsync(TimeSpan.FromSeconds(90));
        }

        Assert.True(hitsAfterTraining >= 5, $"{hitsAfterTraining} of the last 6 reads were hits");
        Assert.True(h.Accuracy.UsedCount >= 5, $"{h.Accuracy.UsedCount} used");
        // At most the copy prefetched for a read the loop no longer makes.
        Assert.True(h.Accuracy.WastedCount <= 1, $"{h.Accuracy.WastedCount} wasted");
        Assert.Equal(h.Origin.LoadsOf("p:1"), h.Factory + h.Prefetched);
    }

    [Fact]
    public async Task PartnersReadAfterTrigger_TypedPrefetch_Served()
    {
        await using HybridHarness h = HybridHarness.Create(o => o.Prefetch.MaxConcurrency = 8);
        string[] partners = ["p:a", "p:b", "p:c"];
        int[] gaps = [200, 530, 310, 720, 260, 450];
        foreach (int gap in gaps)
        {
            await h.ReadAsync("p:trigger");
            foreach (string partner in partners)
            {
                await h.AdvanceAsync(TimeSpan.FromSeconds(1));
                await h.ReadAsync(partner);
            }

            await h.AdvanceAsync(TimeSpan.FromSeconds(gap), TimeSpan.FromSeconds(10));
        }

        await h.ReadAsync("p:trigger");
        await h.CycleAsync();
        int hits = 0;
        foreach (string partner in partners)
        {
            h.Time.Advance(TimeSpan.FromSeconds(1));
            hits += await h.ReadAsync(partner) ? 1 : 0;
        }

        Assert.Equal(partners.Length, hits);
    }

    // --- fences ---

    [Theory]
    [InlineData("set")]
    [InlineData("remove")]
    [InlineData("remove-many")]
    [InlineData("remove-by-tag")]
    public async Task ApplicationWriteDuringTypedLoad_PrefetchNeverLands(string write)
    {
        var release = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using HybridHarness h = HybridHarness.Create(build: b => b.AddHybridSource<string>("slow:", (_, _) => new ValueTask<string?>(release.Task), Entry, ["t"]));
        Assert.Equal(PrefetchStartResult.Started, h.Start("slow:1"));

        switch (write)
        {
            case "set":
                await h.Hybrid.SetAsync("slow:1", "application", Entry);
                break;
            case "remove":
                await h.Hybrid.RemoveAsync("slow:1");
                break;
            case "remove-many":
                await h.Hybrid.RemoveAsync(["slow:1", "slow:2"]);
                break;
            default:
                await h.Hybrid.RemoveByTagAsync("t");
                break;
        }

        release.SetResult("stale prefetch");
        await h.Executor.WhenIdleAsync();

        string read = await h.Hybrid.GetOrCreateAsync("slow:1", static _ => new ValueTask<string>("origin"), Entry);
        Assert.Equal(write == "set" ? "application" : "origin", read);
        Assert.Equal(1, h.Statistics.Superseded);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RemoveByTag_WaitsForTheCoordinatorsTagFence_BeforeHybridCacheRemoves(bool manyTags)
    {
        var coordinator = new HeldTagFenceCoordinator();
        await using HybridHarness h = HybridHarness.Create(build: b => b.Services.AddSingleton<IPrefetchCoordinator>(coordinator));
        HybridCache inner = ((PredictiveHybridCache)h.Hybrid).InnerCache;
        await inner.SetAsync("p:1", "tagged", Entry, ["t"]);

        ValueTask removal = manyTags ? h.Hybrid.RemoveByTagAsync(["t", "u"]) : h.Hybrid.RemoveByTagAsync("t");
        await coordinator.Entered.WaitAsync(TimeSpan.FromSeconds(10));

        // The fence is not in place yet, so HybridCache has removed nothing.
        Assert.False(removal.IsCompleted);
        Assert.Equal("tagged", await inner.GetOrCreateAsync("p:1", static _ => new ValueTask<string>("origin"), Entry, ["t"]));
        coordinator.Release();
        await removal;
        Assert.Equal("origin", await inner.GetOrCreateAsync("p:1", static _ => new ValueTask<string>("origin"), Entry, ["t"]));
        Assert.Equal(1, coordinator.TagFences);
    }

    [Fact]
    public async Task DefaultLease_TypedWrite_WritesAndNeverUndoes()
    {
        PrefetchLease lease = (await new NoPrefetchCoordination().TryAcquireAsync("k", TimeSpan.FromSeconds(1)))!;
        var calls = new List<string>();
        bool written = await lease.TryWriteAsync(
            "k",
            calls,
            static (c, _) => { c.Add("write"); return default; },
            static (c, _) => { c.Add("undo"); return default; });

        Assert.True(written);
        Assert.Equal(["write"], calls);
    }

    [Fact]
    public async Task TypedPrefetch_WithoutAnyWrite_Lands()
    {
        await using HybridHarness h = HybridHarness.Create();
        Assert.Equal(PrefetchStartResult.Started, h.Start("p:9"));
        await h.Executor.WhenIdleAsync();

        Assert.True(await h.ReadAsync("p:9"));
        Assert.Equal(0, h.Factory);
        Assert.Equal(1, h.Accuracy.UsedCount);
    }

    // --- no silent waste ---

    [Fact]
    public async Task RawBytesSourceForHybridReadKeys_WarnsOnce_CountsWasted_WritesNothing()
    {
        await using HybridHarness h = HybridHarness.Create(
            build: b => b.AddSource("raw:", (key, _) => Task.FromResult<byte[]?>([1, 2, 3])),
            typedSource: false);
        await h.ReadAsync("raw:1");
        await h.ReadAsync("raw:2");
        h.Time.Advance(TimeSpan.FromSeconds(61));

        Assert.Equal(PrefetchStartResult.Started, h.Start("raw:1"));
        await h.Executor.WhenIdleAsync();
        Assert.Equal(PrefetchStartResult.Started, h.Start("raw:2"));
        await h.Executor.WhenIdleAsync();

        Assert.Equal(2, h.Accuracy.WastedCount);
        Assert.Equal(0, h.Accuracy.UsedCount);
        Assert.Equal(2, h.Loader.GetStatus().PrefetchesUnusableByHybridCache);
        Assert.Null(h.L2.Peek("raw:1"));
        FakeLogRecord warning = Assert.Single(h.Logs.GetSnapshot(), r => r.Id.Id == 66);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("AddHybridSource<T>", warning.Message, StringComparison.Ordinal);

        // HybridCache still reads through its factory, as it would have anyway.
        Assert.False(await h.ReadAsync("raw:1"));
    }

    [Fact]
    public async Task UndecoratedHybridCacheOverTheDecoratedL2_FramingSeen_RawBytesSourceWarnedAndWasted()
    {
        // A HybridCache the library does not decorate (here a keyed one registered after AddPredictiveLoading, which the
        // start check reports) whose L2 is the decorated IDistributedCache: its framed writes mark the key, so a raw-bytes
        // prefetch of it is refused like one for a key read through the decorator.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero));
        var l2 = new FakeTtlCache(time);
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddFakeLogging());
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton<IDistributedCache>(l2);
        services.AddKeyedSingleton<IDistributedCache>("app-l2", static (sp, _) => sp.GetRequiredService<IDistributedCache>());
        services.AddPredictiveLoading(o => o.Strategies.Adaptive = false)
            .AddSource("raw:", (key, _) => Task.FromResult<byte[]?>([1, 2, 3]));
        services.AddKeyedHybridCache("orders", o => o.DistributedCacheServiceKey = "app-l2");
        services.RemoveAll<IResourceProbe>();
        await using ServiceProvider provider = services.BuildServiceProvider();
        HybridCache keyed = provider.GetRequiredKeyedService<HybridCache>("orders");
        Assert.IsNotType<PredictiveHybridCache>(keyed);

        await keyed.GetOrCreateAsync("raw:1", static _ => new ValueTask<string>("order"), Entry);
        Assert.True(HybridFraming.IsFramed(l2.Peek("raw:1")));
        Assert.True(provider.GetRequiredService<AccessTracker>().TryGet("raw:1", out KeyAccessStatistics? entry));
        Assert.True(entry.ReadThroughHybridCache);

        var executor = provider.GetRequiredService<PrefetchExecutor>();
        PrefetchSource source = provider.GetRequiredService<PrefetchSourceResolver>().Find("raw:1")!;
        Assert.Equal(PrefetchStartResult.Started, executor.TryStart("raw:1", source, 64, TimeSpan.FromMinutes(1), 1 << 20));
        await executor.WhenIdleAsync();

        Assert.Equal(1, provider.GetRequiredService<PrefetchPrecision>().WastedCount);
        Assert.True(HybridFraming.IsFramed(l2.Peek("raw:1")));
        Assert.Single(provider.GetFakeLogCollector().GetSnapshot(), r => r.Id.Id == 66);
    }

    [Fact]
    public void Framing_RecognizesHybridCachesFrameOnly()
    {
        Assert.False(HybridFraming.IsFramed([1, 2, 3]));
        Assert.False(HybridFraming.IsFramed(System.Text.Encoding.UTF8.GetBytes("a plain value of some length")));
        byte[] framed = new byte[24];
        framed[0] = 0x03;
        framed[1] = 0x01;
        framed[^2] = 0x03;
        framed[^1] = 0x01;
        Assert.True(HybridFraming.IsFramed(framed));
        Assert.True(HybridFraming.IsFramed(new System.Buffers.ReadOnlySequence<byte>(framed)));
    }

    private static bool L1Hit<TState>(HybridCache cache, TState state, Func<TState, CancellationToken, ValueTask<string>> factory)
    {
        ValueTask<string> read = cache.GetOrCreateAsync("p:1", state, factory, Entry);
        return read.IsCompletedSuccessfully && read.Result.Length > 0;
    }

    private static HybridCache InnerOf(IServiceProvider provider) =>
        Assert.IsType<PredictiveHybridCache>(provider.GetRequiredService<HybridCache>()).InnerCache;

    // DefaultHybridCache keeps its L2 in an internal property; upstream's own tests read the same one.
    private static IDistributedCache? BackendOf(HybridCache cache) =>
        (IDistributedCache?)cache.GetType().GetProperty("BackendCache", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(cache);

    /// <summary>Grants every lease (no I/O) and holds a tag fence until released.</summary>
    private sealed class HeldTagFenceCoordinator : IPrefetchCoordinator
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _tagFences;

        public Task Entered => _entered.Task;

        public int TagFences => Volatile.Read(ref _tagFences);

        public string? UnavailableReason => null;

        public void Release() => _release.TrySetResult();

        public ValueTask<PrefetchLease?> TryAcquireAsync(string key, TimeSpan leaseTime, CancellationToken cancellationToken = default) =>
            new NoPrefetchCoordination().TryAcquireAsync(key, leaseTime, cancellationToken);

        public async ValueTask FenceTagRemovalAsync(CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _tagFences);
            _entered.TrySetResult();
            await _release.Task.ConfigureAwait(false);
        }
    }

    /// <summary>The prediction loop over HybridCache in virtual time: L1 on the fake clock, L2 a TTL-honouring fake.</summary>
    private sealed class HybridHarness : IAsyncDisposable
    {
        private int _factory;

        private HybridHarness(FakeTimeProvider time, ServiceProvider provider, FakeTtlCache l2, FakeOrigin origin)
        {
            Time = time;
            Provider = provider;
            L2 = l2;
            Origin = origin;
            Hybrid = provider.GetRequiredService<HybridCache>();
            Loader = provider.GetRequiredService<IPredictiveLoader>();
            Executor = provider.GetRequiredService<PrefetchExecutor>();
        }

        public FakeTimeProvider Time { get; }

        public ServiceProvider Provider { get; }

        public FakeTtlCache L2 { get; }

        public FakeOrigin Origin { get; }

        public HybridCache Hybrid { get; }

        public IPredictiveLoader Loader { get; }

        internal PrefetchExecutor Executor { get; }

        internal AccessTracker Tracker => Provider.GetRequiredService<AccessTracker>();

        internal PrefetchPrecision Accuracy => Provider.GetRequiredService<PrefetchPrecision>();

        internal PrefetchStatistics Statistics => Provider.GetRequiredService<PrefetchStatistics>();

        public FakeLogCollector Logs => Provider.GetFakeLogCollector();

        public int Factory => Volatile.Read(ref _factory);

        public int Prefetched { get; private set; }

        public static HybridHarness Create(Action<PredictiveLoadingOptions>? configure = null, Action<IPredictiveLoadingBuilder>? build = null, bool typedSource = true)
        {
            var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero));
            var l2 = new FakeTtlCache(time);
            var origin = new FakeOrigin();
            HybridHarness? harness = null;
            var services = new ServiceCollection();
            services.AddLogging(logging => logging.AddFakeLogging());
            services.AddSingleton<TimeProvider>(time);
            services.AddMemoryCache(o => o.Clock = new FakeSystemClock(time));
            services.AddSingleton<IDistributedCache>(l2);
            IPredictiveLoadingBuilder builder = services.AddHybridCache(o => o.DefaultEntryOptions = Entry).AddPredictiveLoading(o =>
            {
                o.Strategies.Adaptive = false;
                configure?.Invoke(o);
            });
            services.RemoveAll<IResourceProbe>();
            build?.Invoke(builder);
            if (typedSource)
            {
                builder.AddHybridSource<string>("p:", (key, _) =>
                {
                    harness!.Prefetched++;
                    return new ValueTask<string?>(System.Text.Encoding.UTF8.GetString(origin.Load(key)));
                }, Entry);
            }

            harness = new HybridHarness(time, services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true }), l2, origin);
            return harness;
        }

        /// <summary>Reads as an application does: GetOrCreateAsync with the origin as factory. Returns whether it was a hit.</summary>
        public async Task<bool> ReadAsync(string key)
        {
            int before = Factory;
            await Hybrid.GetOrCreateAsync(key, (Harness: this, Key: key), static (s, _) =>
            {
                Interlocked.Increment(ref s.Harness._factory);
                return new ValueTask<string>(System.Text.Encoding.UTF8.GetString(s.Harness.Origin.Load(s.Key)));
            }, Entry);
            return Factory == before;
        }

        public PrefetchStartResult Start(string key)
        {
            PrefetchSource source = Provider.GetRequiredService<PrefetchSourceResolver>().Find(key)!;
            return Executor.TryStart(key, source, 64, TimeSpan.FromMinutes(1), 1 << 20);
        }

        public async Task CycleAsync()
        {
            await Loader.RunCycleAsync();
            await Executor.WhenIdleAsync();
        }

        public async Task AdvanceAsync(TimeSpan duration, TimeSpan? step = null)
        {
            TimeSpan increment = step ?? TimeSpan.FromSeconds(1);
            for (TimeSpan elapsed = TimeSpan.Zero; elapsed < duration; elapsed += increment)
            {
                Time.Advance(increment);
                await CycleAsync();
            }
        }

        public async ValueTask DisposeAsync() => await Provider.DisposeAsync();
    }
}
