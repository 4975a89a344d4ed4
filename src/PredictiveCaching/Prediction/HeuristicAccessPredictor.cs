using PredictiveCaching.Features;

namespace PredictiveCaching.Prediction;

/// <summary>
/// The statistical predictor used before (or instead of) a trained model: a key's own rhythm of reads, combined with
/// the evidence of how the key was proposed (it tends to follow the key just read, or it continues a sequence).
/// </summary>
/// <remarks>
/// <para>
/// Rhythm: with inter-arrival mean μ and standard deviation σ over n reads, and e seconds since the last read, the
/// chance of a read within the window W is a blend of a regular model (interval ~ Normal(μ, σ) conditioned on
/// interval &gt; e) and a memoryless one (1 − e^(−W/μ)), weighted by the coefficient of variation σ/μ: rhythmic keys
/// follow the first, random popular keys the second. It is scaled by the weight of evidence k/(k + 0.5) over the
/// k = n − 1 observed intervals, and fades once a key has been silent well past its rhythm.
/// </para>
/// <para>Evidence from the proposal (successor share, sequence continuation rate) is combined as a noisy-OR.</para>
/// </remarks>
internal sealed class HeuristicAccessPredictor : IAccessPredictor
{
    internal const double MinimumSigmaSeconds = 0.5;

    public string Kind => "heuristic";

    public bool UsesFeatures => false;

    public AccessPrediction Predict(in PredictionContext context, ReadOnlySpan<float> features)
    {
        double rhythm = 0d;
        long size = -1;
        if (context.Statistics is { } statistics)
        {
            size = statistics.LastSize;
            long reads = statistics.ReadCount;
            if (reads >= 2)
            {
                double elapsed = Math.Max(0d, (context.NowTicks - statistics.LastReadTicks) / (double)TimeSpan.TicksPerSecond);
                rhythm = RhythmProbability(
                    statistics.MeanIntervalSeconds,
                    statistics.IntervalStandardDeviation,
                    reads - 1,
                    elapsed,
                    context.Lookahead.TotalSeconds);
            }
        }

        double prior = Math.Clamp(context.Prior, 0d, 1d);
        double probability = 1d - ((1d - rhythm) * (1d - prior));
        if (size < 0)
        {
            size = Math.Max(0, context.SizeHint);
        }

        return new AccessPrediction(probability, size);
    }

    internal static double RhythmProbability(double mean, double standardDeviation, long intervals, double elapsed, double window)
    {
        if (intervals < 1 || window <= 0d)
        {
            return 0d;
        }

        mean = Math.Max(mean, 1e-3);

        // One interval says nothing about spread: assume a moderate one rather than a perfectly regular rhythm.
        double sigma = intervals < 2 ? 0.5 * mean : standardDeviation;
        sigma = FloorSigma(mean, sigma);

        double z0 = (elapsed - mean) / sigma;
        double z1 = (elapsed + window - mean) / sigma;
        double survival = 1d - NormalCdf(z0);
        double regular = survival > 1e-9 ? (NormalCdf(z1) - NormalCdf(z0)) / survival : 1d;
        double memoryless = 1d - Math.Exp(-window / mean);
        double irregularity = Math.Clamp(sigma / mean, 0d, 1d);
        double probability = ((1d - irregularity) * regular) + (irregularity * memoryless);

        // A key silent far beyond its rhythm has probably stopped being read.
        double overdue = elapsed - (mean + (4d * sigma));
        if (overdue > 0d)
        {
            probability *= Math.Exp(-overdue / (mean + sigma));
        }

        double evidence = intervals / (intervals + 0.5);
        return Math.Clamp(evidence * probability, 0d, 1d);
    }

    /// <summary>
    /// The spread a rhythm is treated as having: at least 5 % of its mean and half a second, because a perfectly regular
    /// history says little about the next interval. Shared with the refresh lead time so both use the same spread.
    /// </summary>
    internal static double FloorSigma(double meanSeconds, double standardDeviationSeconds) =>
        Math.Max(standardDeviationSeconds, Math.Max(0.05 * meanSeconds, MinimumSigmaSeconds));

    // Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7), ample for a probability that is thresholded.
    internal static double NormalCdf(double z)
    {
        double x = Math.Abs(z) / Math.Sqrt(2d);
        double t = 1d / (1d + (0.3275911 * x));
        double poly = t * (0.254829592 + (t * (-0.284496736 + (t * (1.421413741 + (t * (-1.453152027 + (t * 1.061405429))))))));
        double erf = 1d - (poly * Math.Exp(-x * x));
        return z >= 0 ? 0.5 * (1d + erf) : 0.5 * (1d - erf);
    }
}
