using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PredictiveCaching.Loop.Execution;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Testing;

namespace PredictiveCaching.Tests.Fakes;

/// <summary>
/// The whole prediction loop in virtual time: the predictive decorator over a TTL-honouring cache, an origin that counts
/// loads and a source over it. Cycles are run by the test (no hosted services), each followed by waiting for the
/// prefetches it started.
/// </summary>
internal sealed class LoopHarness : IAsyncDisposable
{
    private LoopHarness(FakeTimeProvider time, ServiceProvider provider, FakeTtlCache inner, FakeOrigin origin)
    {
        Time = time;
        Provider = provider;
        Inner = inner;
        Origin = origin;
        Cache = provider.GetRequiredService<IDistributedCache>();
        Loader = provider.GetRequiredService<IPredictiveLoader>();
        Executor = provider.GetRequiredService<PrefetchExecutor>();
    }

    public FakeTimeProvider Time { get; }

    public ServiceProvider Provider { get; }

    public FakeTtlCache Inner { get; }

    public FakeOrigin Origin { get; }

    public IDistributedCache Cache { get; }

    public IPredictiveLoader Loader { get; }

    internal PrefetchExecutor Executor { get; }

    public List<PrefetchCycleResult> Results { get; } = [];

    public int Hits { get; private set; }

    public int Misses { get; private set; }

    public static LoopHarness Create(
        Action<PredictiveLoadingOptions>? configure = null,
        Action<IPredictiveLoadingBuilder, FakeOrigin>? build = null,
        bool defaultSource = true)
    {
        FakeTimeProvider time = VirtualTime.Create();
        var inner = new FakeTtlCache(time);
        var origin = new FakeOrigin();
        var services = new ServiceCollection();
        services.AddVirtualTime(time, inner);
        IPredictiveLoadingBuilder builder = services.AddPredictiveLoadingForTests(configure);
        if (defaultSource)
        {
            builder.AddSource(static _ => true, (key, _) => ValueTask.FromResult<PrefetchedValue?>(new PrefetchedValue(origin.Load(key))));
        }

        build?.Invoke(builder, origin);
        return new LoopHarness(time, services.BuildValidated(), inner, origin);
    }

    /// <summary>Cache-aside read as an application does it: on a miss, load from the origin and write with the TTL.</summary>
    public async Task<bool> ReadAsync(string key, TimeSpan ttl)
    {
        if (await Cache.GetAsync(key) is not null)
        {
            Hits++;
            return true;
        }

        Misses++;
        await Cache.SetAsync(key, Origin.Load(key), new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = ttl });
        return false;
    }

    public async Task<PrefetchCycleResult> CycleAsync()
    {
        PrefetchCycleResult result = await Loader.RunCycleAsync();
        await Executor.WhenIdleAsync();
        Results.Add(result);
        return result;
    }

    /// <summary>Advances virtual time one cycle interval at a time, running a cycle after each step.</summary>
    public async Task AdvanceAsync(TimeSpan duration, TimeSpan? step = null)
    {
        TimeSpan increment = step ?? TimeSpan.FromSeconds(1);
        for (TimeSpan elapsed = TimeSpan.Zero; elapsed < duration; elapsed += increment)
        {
            Time.Advance(increment);
            await CycleAsync();
        }
    }

    /// <summary>
    /// Teaches a successor link: <paramref name="first"/> (kept five minutes) is followed a second later by
    /// <paramref name="second"/> (kept a second, so it misses every time), four times, a cycle after each.
    /// </summary>
    public async Task LearnSuccessorAsync(string first, string second)
    {
        for (int i = 0; i < 4; i++)
        {
            await ReadAsync(first, TimeSpan.FromMinutes(5));
            Time.Advance(TimeSpan.FromSeconds(1));
            await ReadAsync(second, TimeSpan.FromSeconds(1));
            Time.Advance(TimeSpan.FromSeconds(30));
            await CycleAsync();
        }
    }

    public async ValueTask DisposeAsync() => await Provider.DisposeAsync();
}
