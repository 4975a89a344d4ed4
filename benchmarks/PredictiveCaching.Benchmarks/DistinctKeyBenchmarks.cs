using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Caching.Distributed;

namespace PredictiveCaching.Benchmarks;

/// <summary>
/// A stream of distinct keys (a crawler, a scan): every read is of a key not read for a million reads, a miss, through
/// the decorator from DI with the admission doorkeeper (the default, <c>AdmissionReads = 2</c>) and with every key
/// tracked from its first read (<c>AdmissionReads = 1</c>, the behaviour before the doorkeeper), against the same
/// MemoryDistributedCache read directly. Target: the doorkeeper's read at most <see cref="MaxRatio"/> times the raw
/// read, and 0 B for a read that is not admitted (the sketch's rare false admissions are what the mean can show).
/// </summary>
[MemoryDiagnoser]
public class DistinctKeyBenchmarks
{
    public const double MaxRatio = 3.0;

    // 2^20 keys: a key comes back after about a million reads, twenty halvings of the default sketch later, so it is
    // forgotten and each read is a first read again.
    private const int KeyCount = 1 << 20;

    private string[] _keys = null!;
    private DecoratedMemoryCache _doorkeeper = null!;
    private DecoratedMemoryCache _admitAll = null!;
    private IDistributedCache _raw = null!;
    private IDistributedCache _decorated = null!;
    private IDistributedCache _decoratedAdmitAll = null!;
    private int _rawNext;
    private int _decoratedNext;
    private int _admitAllNext;

    [GlobalSetup]
    public void Setup()
    {
        _keys = new string[KeyCount];
        for (int i = 0; i < KeyCount; i++)
        {
            _keys[i] = "item:" + i.ToString("D8", System.Globalization.CultureInfo.InvariantCulture);
        }

        _doorkeeper = new DecoratedMemoryCache();
        _admitAll = new DecoratedMemoryCache(o => o.Tracking.AdmissionReads = 1);
        _raw = _doorkeeper.Raw;
        _decorated = _doorkeeper.Decorated;
        _decoratedAdmitAll = _admitAll.Decorated;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _doorkeeper.Dispose();
        _admitAll.Dispose();
    }

    [Benchmark(Baseline = true)]
    public byte[]? RawGetDistinct() => _raw.Get(_keys[_rawNext++ & (KeyCount - 1)]);

    [Benchmark]
    public byte[]? DecoratedGetDistinct() => _decorated.Get(_keys[_decoratedNext++ & (KeyCount - 1)]);

    [Benchmark]
    public byte[]? DecoratedGetDistinctAdmitAll() => _decoratedAdmitAll.Get(_keys[_admitAllNext++ & (KeyCount - 1)]);
}
