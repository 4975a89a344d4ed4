using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using PredictiveCaching.Caching;

namespace PredictiveCaching.Benchmarks;

/// <summary>
/// A cache hit through the decorator against the same MemoryDistributedCache read directly, as the application
/// would get it from DI. Targets: at most <see cref="MaxRatio"/> times the raw call, and no extra bytes per call.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class DecoratorBenchmarks
{
    public const double MaxRatio = 1.5;
    private const string Key = "product:12345";

    private ServiceProvider _provider = null!;
    private IDistributedCache _raw = null!;
    private IDistributedCache _decorated = null!;

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        services.AddDistributedMemoryCache();
        services.AddPredictiveLoading();
        _provider = services.BuildServiceProvider();
        _decorated = _provider.GetRequiredService<IDistributedCache>();
        _raw = ((PredictiveDistributedCache)_decorated).InnerCache;
        _decorated.Set(Key, new byte[256], new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromHours(1) });
    }

    [GlobalCleanup]
    public void Cleanup() => _provider.Dispose();

    [Benchmark(Baseline = true), BenchmarkCategory("Get")]
    public byte[]? RawGet() => _raw.Get(Key);

    [Benchmark, BenchmarkCategory("Get")]
    public byte[]? DecoratedGet() => _decorated.Get(Key);

    [Benchmark(Baseline = true), BenchmarkCategory("GetAsync")]
    public Task<byte[]?> RawGetAsync() => _raw.GetAsync(Key);

    [Benchmark, BenchmarkCategory("GetAsync")]
    public Task<byte[]?> DecoratedGetAsync() => _decorated.GetAsync(Key);
}
