using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PredictiveCaching.Redis;
using PredictiveCaching.Redis.Coordination;
using PredictiveCaching.Redis.Diagnostics;
using StackExchange.Redis;

namespace PredictiveCaching.Benchmarks;

/// <summary>
/// Remaining time to live of a cycle's candidates: the pipelined batch <see cref="RedisExpiryLookup"/> sends against one
/// awaited <c>PTTL</c> per key (the baseline). Needs a running Redis at <c>PREDICTIVE_CACHING_REDIS</c> (host:port):
/// <c>redis-server --port 6390 --save "" --appendonly no &amp;</c> then
/// <c>PREDICTIVE_CACHING_REDIS=127.0.0.1:6390 ./build.sh bench --filter *TtlLookup*</c>.
/// </summary>
[MemoryDiagnoser]
public class TtlLookupBenchmarks
{
    private const string InstanceName = "bench-ttl:";

    private ConnectionMultiplexer _multiplexer = null!;
    private IDatabase _database = null!;
    private RedisExpiryLookup _lookup = null!;
    private List<string> _keys = null!;
    private TimeSpan?[] _remaining = null!;

    [Params(10, 100, 1000)]
    public int Keys { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        string endpoint = Environment.GetEnvironmentVariable("PREDICTIVE_CACHING_REDIS")
            ?? throw new InvalidOperationException("Set PREDICTIVE_CACHING_REDIS to host:port of a running redis-server to run the TTL lookup benchmarks.");
        _multiplexer = ConnectionMultiplexer.Connect(endpoint);
        _database = _multiplexer.GetDatabase();
        _keys = [];
        for (int i = 0; i < Keys; i++)
        {
            string key = "candidate:" + i;
            _keys.Add(key);
            if (i % 2 == 0)
            {
                _database.StringSet(InstanceName + key, "v", TimeSpan.FromHours(1));
            }
        }

        _remaining = new TimeSpan?[Keys];
        var connection = new RedisConnection(
            new ServiceCollection().BuildServiceProvider(),
            Options.Create(new RedisCoordinationOptions { InstanceName = InstanceName, ConnectionMultiplexerFactory = () => Task.FromResult<IConnectionMultiplexer>(_multiplexer) }),
            new RedisCoordinationMetrics(),
            TimeProvider.System,
            NullLogger<RedisConnection>.Instance);
        _lookup = new RedisExpiryLookup(connection);
    }

    [GlobalCleanup]
    public void Cleanup() => _multiplexer.Dispose();

    [Benchmark(Baseline = true)]
    public async Task<int> OneByOne()
    {
        int present = 0;
        foreach (string key in _keys)
        {
            if (RedisExpiryLookup.ToRemaining((long)await _database.ExecuteAsync("PTTL", (RedisKey)(InstanceName + key))) is not null)
            {
                present++;
            }
        }

        return present;
    }

    [Benchmark]
    public async Task<int> PipelinedBatch()
    {
        await _lookup.LookupAsync(_keys, _remaining);
        int present = 0;
        foreach (TimeSpan? remaining in _remaining)
        {
            if (remaining is not null)
            {
                present++;
            }
        }

        return present;
    }
}
