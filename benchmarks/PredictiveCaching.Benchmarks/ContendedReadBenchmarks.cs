using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;

namespace PredictiveCaching.Benchmarks;

/// <summary>Which keys the threads of <see cref="ContendedReadBenchmarks"/> read.</summary>
public enum ReadPattern
{
    /// <summary>Every thread reads the same key: the per-key statistics and the cache entry are shared by all.</summary>
    HotKey,

    /// <summary>Keys drawn from a Zipf distribution (s = 1) over <see cref="ContendedReadBenchmarks.KeyCount"/> keys.</summary>
    Zipf,
}

/// <summary>
/// Cache hits from 1, 2 and 8 threads at once, through the decorator (resolved from DI over
/// <c>AddDistributedMemoryCache()</c>) against the same <c>MemoryDistributedCache</c> read directly. Every invocation
/// makes <see cref="ReadsPerInvocation"/> reads split evenly between the threads, so the mean is the wall-clock time
/// per read of all threads together and the ratio is the decorator's cost under that contention.
/// Target: at most <see cref="MaxRatio"/> times the raw cache at every thread count.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
public class ContendedReadBenchmarks
{
    public const double MaxRatio = 1.3;
    public const int KeyCount = 10_000;
    public const int ReadsPerInvocation = 160_000;

    private DecoratedMemoryCache _caches = null!;
    private IDistributedCache _raw = null!;
    private IDistributedCache _decorated = null!;
    private string[][] _keysPerThread = null!;
    private Thread[] _workers = [];
    private Barrier? _start;
    private Barrier? _done;
    private IDistributedCache? _target;
    private volatile bool _stopping;

    [Params(1, 2, 8)]
    public int Threads { get; set; }

    [Params(ReadPattern.HotKey, ReadPattern.Zipf)]
    public ReadPattern Pattern { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _caches = new DecoratedMemoryCache();
        _decorated = _caches.Decorated;
        _raw = _caches.Raw;

        var keys = new string[KeyCount];
        var options = new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromHours(1) };
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = "product:" + i;
            _decorated.Set(keys[i], new byte[256], options);
        }

        double[] cumulative = ZipfCumulative(KeyCount);
        int readsPerThread = ReadsPerInvocation / Threads;
        _keysPerThread = new string[Threads][];
        for (int t = 0; t < Threads; t++)
        {
            var random = new Random(17 + t);
            var sequence = new string[readsPerThread];
            for (int i = 0; i < sequence.Length; i++)
            {
                sequence[i] = Pattern == ReadPattern.HotKey ? keys[0] : keys[Rank(cumulative, random.NextDouble())];
            }

            _keysPerThread[t] = sequence;
        }

        // Every key read once through the decorator, so each read measured is a hit of a tracked key.
        foreach (string key in keys)
        {
            _decorated.Get(key);
        }

        if (Threads > 1)
        {
            _start = new Barrier(Threads + 1);
            _done = new Barrier(Threads + 1);
            _workers = new Thread[Threads];
            for (int t = 0; t < Threads; t++)
            {
                string[] sequence = _keysPerThread[t];
                _workers[t] = new Thread(() => Work(sequence)) { IsBackground = true, Name = "reader " + t };
                _workers[t].Start();
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_start is not null)
        {
            _stopping = true;
            _start.SignalAndWait();
            foreach (Thread worker in _workers)
            {
                worker.Join();
            }

            _start.Dispose();
            _done!.Dispose();
        }

        _caches.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = ReadsPerInvocation), BenchmarkCategory("contended")]
    public void Raw() => ReadAll(_raw);

    [Benchmark(OperationsPerInvoke = ReadsPerInvocation), BenchmarkCategory("contended")]
    public void Decorated() => ReadAll(_decorated);

    private static void Read(IDistributedCache cache, string[] keys)
    {
        foreach (string key in keys)
        {
            cache.Get(key);
        }
    }

    private static double[] ZipfCumulative(int count)
    {
        var cumulative = new double[count];
        double sum = 0;
        for (int rank = 0; rank < count; rank++)
        {
            sum += 1d / (rank + 1);
            cumulative[rank] = sum;
        }

        for (int rank = 0; rank < count; rank++)
        {
            cumulative[rank] /= sum;
        }

        return cumulative;
    }

    private static int Rank(double[] cumulative, double u)
    {
        int index = Array.BinarySearch(cumulative, u);
        return Math.Min(index < 0 ? ~index : index, cumulative.Length - 1);
    }

    private void ReadAll(IDistributedCache cache)
    {
        if (_start is null)
        {
            Read(cache, _keysPerThread[0]);
            return;
        }

        _target = cache;
        _start.SignalAndWait();
        _done!.SignalAndWait();
    }

    private void Work(string[] keys)
    {
        while (true)
        {
            _start!.SignalAndWait();
            if (_stopping)
            {
                return;
            }

            Read(Volatile.Read(ref _target)!, keys);
            _done!.SignalAndWait();
        }
    }
}
