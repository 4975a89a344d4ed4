using PredictiveCaching.Features;
using PredictiveCaching.Prediction;
using PredictiveCaching.Resources;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Tests.Prediction;

public sealed class HeuristicAccessPredictorTests
{
    private static readonly long T0 = new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero).UtcTicks;
    private static readonly HeuristicAccessPredictor Sut = new();

    [Fact]
    public void Predict_PerfectMinuteRhythmJustBeforeNextRead_MatchesModel()
    {
        KeyAccessStatistics key = ReadEvery(60, reads: 5);
        long now = key.LastReadTicks + TimeSpan.FromSeconds(54).Ticks;

        AccessPrediction prediction = Sut.Predict(Context(key, now, window: 300), default);

        // σ floors at 5 % of μ = 3 s; regular part ≈ 1, memoryless part 1 − e^(−5); irregularity 0.05;
        // evidence 4 / 4.5 over four intervals.
        double expected = (4 / 4.5) * ((0.95 * 1) + (0.05 * (1 - Math.Exp(-5))));
        Assert.Equal(expected, prediction.Probability, 3);
        Assert.Equal(100, prediction.PredictedSizeBytes);
    }

    [Fact]
    public void Predict_KeyReadOnce_IsZero()
    {
        KeyAccessStatistics key = ReadEvery(60, reads: 1);
        Assert.Equal(0d, Sut.Predict(Context(key, key.LastReadTicks + TimeSpan.FromSeconds(30).Ticks, 300), default).Probability);
    }

    [Fact]
    public void Predict_KeySilentFarBeyondItsRhythm_Fades()
    {
        KeyAccessStatistics key = ReadEvery(60, reads: 6);
        double due = Sut.Predict(Context(key, key.LastReadTicks + TimeSpan.FromSeconds(55).Ticks, 300), default).Probability;
        double abandoned = Sut.Predict(Context(key, key.LastReadTicks + TimeSpan.FromHours(2).Ticks, 300), default).Probability;

        Assert.True(due > 0.85, $"due {due}");
        Assert.True(abandoned < 0.01, $"abandoned {abandoned}");
    }

    [Fact]
    public void Predict_WindowEndsBeforeNextRead_IsLow()
    {
        KeyAccessStatistics key = ReadEvery(600, reads: 6);
        double probability = Sut.Predict(Context(key, key.LastReadTicks + TimeSpan.FromSeconds(10).Ticks, 120), default).Probability;
        Assert.True(probability < 0.05, $"probability {probability}");
    }

    [Fact]
    public void Predict_PriorOnly_CombinesAsNoisyOr()
    {
        // A key never seen, proposed as a successor in 80 % of cases: the prior is all there is.
        var context = new PredictionContext("next", null, T0, TimeSpan.FromMinutes(5), ResourceSnapshot.Unknown, 0.5, false, prior: 0.8, sizeHint: 64);
        AccessPrediction prediction = Sut.Predict(context, default);

        Assert.Equal(0.8, prediction.Probability, 12);
        Assert.Equal(64, prediction.PredictedSizeBytes);
    }

    [Theory]
    [InlineData(0d, 0.5)]
    [InlineData(1.96, 0.975)]
    [InlineData(-1.96, 0.025)]
    public void NormalCdf_KnownQuantiles(double z, double expected) =>
        Assert.Equal(expected, HeuristicAccessPredictor.NormalCdf(z), 3);

    private static PredictionContext Context(KeyAccessStatistics key, long now, double window) =>
        new(key.Key, key.Snapshot(), now, TimeSpan.FromSeconds(window), ResourceSnapshot.Unknown, 0.5, false);

    private static KeyAccessStatistics ReadEvery(double seconds, int reads)
    {
        var tracker = new AccessTracker(new TrackingOptions());
        KeyAccessStatistics? entry = null;
        for (int i = 0; i < reads; i++)
        {
            tracker.RecordRead("k", hit: true, size: 100, T0 + (long)(i * seconds * TimeSpan.TicksPerSecond), out entry);
        }

        return entry!;
    }
}
