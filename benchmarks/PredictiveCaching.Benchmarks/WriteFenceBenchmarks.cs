using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace PredictiveCaching.Benchmarks;

/// <summary>
/// What Redis coordination adds to an application write or removal: the fence (one <c>DEL</c> of the key's lease) before
/// <c>RedisCache</c>'s own write. Baseline: the raw <c>RedisCache</c> on the same multiplexer, in the same run. Needs a
/// running Redis at <c>PREDICTIVE_CACHING_REDIS</c> (host:port), as <see cref="TtlLookupBenchmarks"/> does.
/// </summary>
[MemoryDiagnoser]
public class WriteFenceBenchmarks
{
    private static readonly DistributedCacheEntryOptions Entry = new() { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5) };
    private readonly byte[] _value = new byte[256];
    private ConnectionMultiplexer _multiplexer = null!;
    private ServiceProvider _raw = null!;
    private ServiceProvider _fenced = null!;
    private IDistributedCache _rawCache = null!;
    private IDistributedCache _fencedCache = null!;

    [GlobalSetup]
    public void Setup()
    {
        string endpoint = Environment.GetEnvironmentVariable("PREDICTIVE_CACHING_REDIS")
            ?? throw new InvalidOperationException("Set PREDICTIVE_CACHING_REDIS to host:port of a running redis-server to run the write fence benchmarks.");
        _multiplexer = ConnectionMultiplexer.Connect(endpoint);
        _raw = Build(predictive: false);
        _fenced = Build(predictive: true);
        _rawCache = _raw.GetRequiredService<IDistributedCache>();
        _fencedCache = _fenced.GetRequiredService<IDistributedCache>();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _fenced.Dispose();
        _raw.Dispose();
        _multiplexer.Dispose();
    }

    [Benchmark(Baseline = true)]
    public Task RawSet() => _rawCache.SetAsync("bench-fence:k", _value, Entry);

    [Benchmark]
    public Task FencedSet() => _fencedCache.SetAsync("bench-fence:k", _value, Entry);

    [Benchmark]
    public Task RawRemove() => _rawCache.RemoveAsync("bench-fence:r");

    [Benchmark]
    public Task FencedRemove() => _fencedCache.RemoveAsync("bench-fence:r");

    private ServiceProvider Build(bool predictive)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddStackExchangeRedisCache(o =>
        {
            o.InstanceName = "bench-fence:";
            o.ConnectionMultiplexerFactory = () => Task.FromResult<IConnectionMultiplexer>(_multiplexer);
        });
        if (predictive)
        {
            services.AddPredictiveLoading().UseRedisCoordination();
        }

        return services.BuildServiceProvider();
    }
}
