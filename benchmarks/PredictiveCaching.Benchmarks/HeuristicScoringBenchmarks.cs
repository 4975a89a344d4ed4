using BenchmarkDotNet.Attributes;
using PredictiveCaching.Features;
using PredictiveCaching.Prediction;
using PredictiveCaching.Resources;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Benchmarks;

/// <summary>
/// Scoring one candidate with the heuristic predictor, and the confidence formula on top. Target: a few tens of
/// nanoseconds and no allocation, so a cycle can score thousands of candidates in well under a millisecond.
/// </summary>
[MemoryDiagnoser]
public class HeuristicScoringBenchmarks
{
    private static readonly long T0 = new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero).UtcTicks;
    private readonly HeuristicAccessPredictor _predictor = new();
    private readonly ResourceSnapshot _resources = new(T0, 0.4, 0.3, 0.1, 0.1, 0.05, 0.05, double.NaN);
    private KeyAccessStatistics _rhythmic = null!;

    [GlobalSetup]
    public void Setup()
    {
        var tracker = new AccessTracker(new TrackingOptions());
        for (int i = 0; i < 20; i++)
        {
            tracker.RecordRead("report:daily", hit: i % 3 != 0, size: 4096, T0 + (i * 61 * TimeSpan.TicksPerSecond), out _rhythmic);
        }
    }

    [Benchmark(Baseline = true)]
    public double Predict()
    {
        var context = new PredictionContext("report:daily", _rhythmic.Snapshot(), _rhythmic.LastReadTicks + (55 * TimeSpan.TicksPerSecond), TimeSpan.FromMinutes(5), _resources, 0.5, false);
        return _predictor.Predict(in context, ReadOnlySpan<float>.Empty).Probability;
    }

    [Benchmark]
    public double PredictWithConfidence()
    {
        var context = new PredictionContext("report:daily", _rhythmic.Snapshot(), _rhythmic.LastReadTicks + (55 * TimeSpan.TicksPerSecond), TimeSpan.FromMinutes(5), _resources, 0.5, false);
        AccessPrediction prediction = _predictor.Predict(in context, ReadOnlySpan<float>.Empty);
        return PredictionConfidence.Compute(prediction.Probability, 0.8, _resources, 0.5, false, prediction.PredictedSizeBytes);
    }
}
