using PredictiveCaching.Prediction;
using PredictiveCaching.Resources;

namespace PredictiveCaching.Tests.Prediction;

/// <summary>The confidence formula (docs/prediction-loop.md) on worked examples, each computed by hand in the comment.</summary>
public sealed class PredictionConfidenceTests
{
    private static ResourceSnapshot Resources(double memory, double cpu) =>
        new(1, memory, cpu, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);

    [Fact]
    public void Compute_NormalPriorityTwoMegabytes_MatchesHandCalculation()
    {
        // availability = 0.6 × (1 − 0.5) + 0.4 × (1 − 0.25) = 0.6
        // context = mean(0.5, max(0.2, 1 − 2 / 1000)) = (0.5 + 0.998) / 2 = 0.749
        // confidence = 0.9 × 0.8 × 0.6 × 0.749 = 0.323568
        double confidence = PredictionConfidence.Compute(0.9, 0.8, Resources(0.5, 0.25), 0.5, isSequential: false, sizeBytes: 2_000_000);
        Assert.Equal(0.323568, confidence, 9);
    }

    [Fact]
    public void Compute_SequentialCriticalEmpty_AddsTheSequentialFactor()
    {
        // context = mean(1.0, 0.8, 1.0) = 0.93333…; everything else is 1.
        double confidence = PredictionConfidence.Compute(1, 1, Resources(0, 0), 1.0, isSequential: true, sizeBytes: 0);
        Assert.Equal(2.8 / 3, confidence, 12);
    }

    [Fact]
    public void ContextFactor_HugeValue_SizeFactorFloorsAtPointTwo()
    {
        // 900 MB: 1 − 900 / 1000 = 0.1, floored at 0.2; context = (0.8 + 0.2) / 2 = 0.5
        Assert.Equal(0.5, PredictionConfidence.ContextFactor(0.8, false, 900_000_000), 12);
    }

    [Fact]
    public void Availability_UnknownResources_CountAsHalfUsed()
    {
        // 0.6 × 0.5 + 0.4 × 0.5 = 0.5
        Assert.Equal(0.5, PredictionConfidence.Availability(ResourceSnapshot.Unknown), 12);
    }

    [Fact]
    public void Compute_ProductAboveOne_IsClampedToOne()
    {
        Assert.Equal(1d, PredictionConfidence.Compute(2, 1, Resources(0, 0), 1.0, isSequential: false, sizeBytes: 0));
    }
}
