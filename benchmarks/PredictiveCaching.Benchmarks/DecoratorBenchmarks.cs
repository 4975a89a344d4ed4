using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.Caching.Distributed;

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

    private DecoratedMemoryCache _caches = null!;
    private IDistributedCache _raw = null!;
    private IDistributedCache _decorated = null!;

    [GlobalSetup]
    public void Setup()
    {
        _caches = new DecoratedMemoryCache();
        _decorated = _caches.Decorated;
        _raw = _caches.Raw;
        _decorated.Set(Key, new byte[256], new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromHours(1) });
    }

    [GlobalCleanup]
    public void Cleanup() => _caches.Dispose();

    [Benchmark(Baseline = true), BenchmarkCategory("Get")]
    public byte[]? RawGet() => _raw.Get(Key);

    [Benchmark, BenchmarkCategory("Get")]
    public byte[]? DecoratedGet() => _decorated.Get(Key);

    [Benchmark(Baseline = true), BenchmarkCategory("GetAsync")]
    public Task<byte[]?> RawGetAsync() => _raw.GetAsync(Key);

    [Benchmark, BenchmarkCategory("GetAsync")]
    public Task<byte[]?> DecoratedGetAsync() => _decorated.GetAsync(Key);
}
