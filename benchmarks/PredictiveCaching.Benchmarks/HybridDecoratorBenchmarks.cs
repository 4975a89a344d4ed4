using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using PredictiveCaching.Caching;

namespace PredictiveCaching.Benchmarks;

/// <summary>
/// An L1 hit of <c>GetOrCreateAsync</c> through the HybridCache decorator against the same DefaultHybridCache called
/// directly (the decorator's inner cache, as <c>services.AddHybridCache().AddPredictiveLoading()</c> builds them), with the
/// state overload (a reference-type state, as a service or the caller itself) and with the stateless one most
/// applications call. The decorator wraps state and factory in a state of its own and tells a hit by the factory not
/// running: it must add no bytes. (A value-type state is boxed, 24 B for an int: the price of NativeAOT support, see
/// PredictiveHybridCache.ErasedState.)
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class HybridDecoratorBenchmarks
{
    private const string Key = "product:12345";
    private static readonly HybridCacheEntryOptions Entry = new() { Expiration = TimeSpan.FromHours(1) };
    private static readonly Func<string, CancellationToken, ValueTask<string>> StateFactory = static (_, _) => new ValueTask<string>("origin");
    private static readonly string State = "state";
    private static readonly Func<CancellationToken, ValueTask<string>> Factory = static _ => new ValueTask<string>("origin");

    private ServiceProvider _provider = null!;
    private HybridCache _raw = null!;
    private HybridCache _decorated = null!;

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        services.AddDistributedMemoryCache(); // required by AddPredictiveLoading; HybridCache ignores it as L2, so this is L1 alone
        services.AddHybridCache().AddPredictiveLoading();
        _provider = services.BuildServiceProvider();
        _decorated = _provider.GetRequiredService<HybridCache>();
        _raw = ((PredictiveHybridCache)_decorated).InnerCache;
        string first = _decorated.GetOrCreateAsync(Key, Factory, Entry).AsTask().GetAwaiter().GetResult();
        bool hit = CompletedSynchronously(_decorated.GetOrCreateAsync(Key, Factory, Entry));
        if (first != "origin" || !hit)
        {
            throw new InvalidOperationException("The key is not an L1 hit.");
        }
    }

    private static bool CompletedSynchronously(ValueTask<string> read) => read.IsCompletedSuccessfully;

    [GlobalCleanup]
    public void Cleanup() => _provider.Dispose();

    [Benchmark(Baseline = true), BenchmarkCategory("State")]
    public ValueTask<string> RawGetOrCreateState() => _raw.GetOrCreateAsync(Key, State, StateFactory, Entry);

    [Benchmark, BenchmarkCategory("State")]
    public ValueTask<string> DecoratedGetOrCreateState() => _decorated.GetOrCreateAsync(Key, State, StateFactory, Entry);

    [Benchmark(Baseline = true), BenchmarkCategory("Stateless")]
    public ValueTask<string> RawGetOrCreate() => _raw.GetOrCreateAsync(Key, Factory, Entry);

    [Benchmark, BenchmarkCategory("Stateless")]
    public ValueTask<string> DecoratedGetOrCreate() => _decorated.GetOrCreateAsync(Key, Factory, Entry);
}
