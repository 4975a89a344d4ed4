using BenchmarkDotNet.Attributes;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Benchmarks;

/// <summary>Recording a read of a key the tracker already holds. Target: about <see cref="TargetNanoseconds"/> ns, 0 B.</summary>
[MemoryDiagnoser]
public class TrackerBenchmarks
{
    public const double TargetNanoseconds = 50;

    private readonly string[] _keys = ["order:17", "customer:4"];
    private AccessTracker _tracker = null!;
    private long _now;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _tracker = new AccessTracker(new TrackingOptions());
        _now = DateTimeOffset.UnixEpoch.UtcTicks;
        for (int i = 0; i < 1_000; i++)
        {
            _tracker.RecordRead("filler:" + i, true, 100, _now, out _);
        }

        foreach (string key in _keys)
        {
            _tracker.RecordRead(key, true, 100, _now, out _);
        }
    }

    /// <summary>The same key again: no successor link to update.</summary>
    [Benchmark(Baseline = true)]
    public int RecordReadSameKey() => (int)_tracker.RecordRead(_keys[0], true, 100, _now += TimeSpan.TicksPerMillisecond, out _);

    /// <summary>Two keys in turn: each read also bumps the previous key's successor count.</summary>
    [Benchmark]
    public int RecordReadAlternatingKeys() =>
        (int)_tracker.RecordRead(_keys[_next ^= 1], true, 100, _now += TimeSpan.TicksPerMillisecond, out _);
}
