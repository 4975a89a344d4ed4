using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Testing;
using PredictiveCaching.Tests.Caching;
using PredictiveCaching.Tests.Fakes;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Tests.Prefetching;

/// <summary>
/// The whole loop over a real MemoryDistributedCache with expiries at the ends of their ranges: a present key is taken
/// as present, and a prefetched copy of a key the application writes "forever" is accepted by the cache.
/// </summary>
public sealed class ExtremeExpiryLoopTests
{
    [Theory]
    [InlineData("Sliding=MaxValue")]
    [InlineData("Sliding=1000000days")]
    [InlineData("AbsoluteExpiration=MaxValue")]
    [InlineData("Relative=1000000days")]
    public async Task ThirtyReads_OfAKeyThatNeverExpires_LoadItOnceAndNeverFailAWrite(string name)
    {
        await using Loop loop = Loop.Create();

        for (int i = 0; i < 30; i++)
        {
            await loop.ReadThroughAsync("report", OptionsFor(name));
            await loop.AdvanceAsync(TimeSpan.FromSeconds(60));
        }

        Assert.Equal(1, loop.Origin.LoadsOf("report"));
        Assert.Equal(29, loop.Hits);
        Assert.Empty(loop.WriteFailures());
        Assert.True(loop.Tracker.TryGet("report", out KeyAccessStatistics? entry));
        Assert.True(entry.IsExpectedPresentAt(loop.Time.GetUtcNow().UtcTicks + TimeSpan.FromDays(365).Ticks));
    }

    [Theory]
    [InlineData("AbsoluteExpiration=MaxValue")]
    [InlineData("Relative=1000000days")]
    [InlineData("Sliding=MaxValue")]
    public async Task PrefetchOfAKeyWrittenForever_IsAcceptedByTheCache(string name)
    {
        await using Loop loop = Loop.Create();
        for (int i = 0; i < 5; i++)
        {
            if (i > 0)
            {
                await loop.AdvanceAsync(TimeSpan.FromSeconds(60));
            }

            await loop.ReadThroughAsync("report", OptionsFor(name));
        }

        // The copy goes right after a read (the application removes it); the loop brings it back before the next read,
        // with the lifetime of the application's writes clamped to one the cache accepts.
        await loop.Cache.RemoveAsync("report");
        await loop.AdvanceAsync(TimeSpan.FromSeconds(59));

        Assert.NotNull(loop.Inner.Get("report"));
        Assert.True(await loop.ReadThroughAsync("report", OptionsFor(name)));
        Assert.Equal(2, loop.Origin.LoadsOf("report"));
        Assert.Empty(loop.WriteFailures());
        PredictiveLoaderStatus status = loop.Loader.GetStatus();
        Assert.Equal(1, status.PrefetchesUsed);
    }

    [Fact]
    public async Task AbsoluteExpirationMinValue_BehavesAsTheInnerCacheDoes()
    {
        await using Loop loop = Loop.Create();
        var options = new DistributedCacheEntryOptions { AbsoluteExpiration = DateTimeOffset.MinValue };

        // The decorator passes the options through unchanged: MemoryDistributedCache takes the copy as already expired.
        await loop.Inner.SetAsync("raw", [1], options);
        await loop.Cache.SetAsync("k", [1], options);
        await loop.AdvanceAsync(TimeSpan.FromSeconds(2));

        Assert.Null(await loop.Inner.GetAsync("raw"));
        Assert.Null(await loop.Cache.GetAsync("k"));
        Assert.True(loop.Tracker.TryGet("k", out KeyAccessStatistics? entry));
        Assert.False(entry.IsExpectedPresentAt(loop.Time.GetUtcNow().UtcTicks));
        Assert.Empty(loop.WriteFailures());
    }

    private static DistributedCacheEntryOptions OptionsFor(string name) => name switch
    {
        "Sliding=MaxValue" => new() { SlidingExpiration = TimeSpan.MaxValue },
        "Sliding=1000000days" => new() { SlidingExpiration = TimeSpan.FromDays(1_000_000) },
        "AbsoluteExpiration=MaxValue" => new() { AbsoluteExpiration = DateTimeOffset.MaxValue },
        "Relative=1000000days" => new() { AbsoluteExpirationRelativeToNow = TimeSpan.FromDays(1_000_000) },
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    private sealed class Loop : IAsyncDisposable
    {
        private readonly ServiceProvider _provider;

        private Loop(FakeTimeProvider time, ServiceProvider provider, MemoryDistributedCache inner, FakeOrigin origin)
        {
            Time = time;
            _provider = provider;
            Inner = inner;
            Origin = origin;
            Cache = provider.GetRequiredService<IDistributedCache>();
            Loader = provider.GetRequiredService<IPredictiveLoader>();
            Tracker = provider.GetRequiredService<AccessTracker>();
        }

        public FakeTimeProvider Time { get; }

        public MemoryDistributedCache Inner { get; }

        public FakeOrigin Origin { get; }

        public IDistributedCache Cache { get; }

        public IPredictiveLoader Loader { get; }

        public AccessTracker Tracker { get; }

        public int Hits { get; private set; }

        public static Loop Create()
        {
            FakeTimeProvider time = VirtualTime.Create();
            var inner = new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions { Clock = new FakeSystemClock(time) }));
            var origin = new FakeOrigin();
            var services = new ServiceCollection();
            services.AddVirtualTime(time, inner);
            services.AddFakeLogging();
            services.AddPredictiveLoadingForTests()
                .AddSource(static _ => true, (key, _) => ValueTask.FromResult<PrefetchedValue?>(new PrefetchedValue(origin.Load(key))));
            return new Loop(time, services.BuildValidated(), inner, origin);
        }

        public async Task<bool> ReadThroughAsync(string key, DistributedCacheEntryOptions options)
        {
            if (await Cache.GetAsync(key) is not null)
            {
                Hits++;
                return true;
            }

            await Cache.SetAsync(key, Origin.Load(key), options);
            return false;
        }

        public async Task AdvanceAsync(TimeSpan duration)
        {
            for (TimeSpan elapsed = TimeSpan.Zero; elapsed < duration; elapsed += TimeSpan.FromSeconds(1))
            {
                Time.Advance(TimeSpan.FromSeconds(1));
                await Loader.RunCycleAsync();
                await Loader.WaitForPrefetchesAsync();
            }
        }

        public IReadOnlyList<FakeLogRecord> WriteFailures()
        {
            List<FakeLogRecord> failures = [];
            foreach (FakeLogRecord record in _provider.GetFakeLogCollector().GetSnapshot())
            {
                if (record.Id.Name == "PrefetchWriteFailed")
                {
                    failures.Add(record);
                }
            }

            return failures;
        }

        public async ValueTask DisposeAsync() => await _provider.DisposeAsync();
    }
}
