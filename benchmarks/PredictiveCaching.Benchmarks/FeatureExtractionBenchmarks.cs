using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using PredictiveCaching.Features;
using PredictiveCaching.Prediction;
using PredictiveCaching.Resources;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Benchmarks;

/// <summary>
/// Feature extraction for one candidate with every built-in extractor, as the prefetch cycle does per candidate.
/// Target: at most <see cref="TargetNanoseconds"/> and <see cref="TargetAllocatedBytes"/> per call.
/// </summary>
[MemoryDiagnoser]
public class FeatureExtractionBenchmarks
{
    public const double TargetNanoseconds = 150;
    public const long TargetAllocatedBytes = 0;

    private FeatureVectorBuilder _builder = null!;
    private float[] _vector = null!;
    private PredictionContext _known;
    private PredictionContext _unknown;

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        services.AddDistributedMemoryCache();
        services.AddPredictiveLoading();
        ServiceProvider provider = services.BuildServiceProvider();
        _builder = provider.GetRequiredService<FeatureVectorBuilder>();
        _vector = new float[_builder.Schema.Count];

        long t0 = new DateTime(2026, 3, 2, 8, 0, 0, DateTimeKind.Utc).Ticks;
        var tracker = new AccessTracker(new TrackingOptions());
        KeyAccessStatistics statistics = tracker.RecordWrite(
            "product:17", 2_500_000, new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(10) }, t0, prefetched: false);
        for (int i = 1; i <= 20; i++)
        {
            tracker.RecordRead("product:17", hit: true, size: 2_500_000, t0 + TimeSpan.FromSeconds(i * 30 + (i % 3)).Ticks, out statistics);
        }

        var resources = new ResourceSnapshot(t0, 0.5, 0.25, 0.1, 0.2, double.NaN, 0.05, double.NaN);
        long now = t0 + TimeSpan.FromMinutes(11).Ticks;
        _known = new PredictionContext("product:17", statistics.Snapshot(), now, TimeSpan.FromMinutes(5), resources, 0.5, isSequential: false);
        _unknown = new PredictionContext("page:4", null, now, TimeSpan.FromMinutes(5), resources, 0.5, isSequential: true);
    }

    [Benchmark(Baseline = true, Description = "Fill, tracked key")]
    public float FillTrackedKey()
    {
        _builder.Fill(in _known, _vector);
        return _vector[0];
    }

    [Benchmark(Description = "Fill, unseen key")]
    public float FillUnseenKey()
    {
        _builder.Fill(in _unknown, _vector);
        return _vector[0];
    }
}
