using PredictiveCaching.Prediction;

namespace PredictiveCaching.MachineLearning.Training;

/// <summary>
/// Reliability in ten bins of predicted probability over the held-out decisions a model would make, for a model (its
/// probability combined with the proposal's prior, as the loop combines them) or for the heuristic (what the loop used
/// without a model): the same samples <see cref="DecisionFigures"/> judges, so the two tables compare like with like.
/// </summary>
internal static class ReliabilityTable
{
    public const int Bins = 10;

    public static ReliabilityBin[] OfModel(TreeModel model, IReadOnlyList<LabelledSample> holdout)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Of(model, holdout);
    }

    public static ReliabilityBin[] OfHeuristic(IReadOnlyList<LabelledSample> holdout) => Of(null, holdout);

    private static ReliabilityBin[] Of(TreeModel? model, IReadOnlyList<LabelledSample> holdout)
    {
        var samples = new int[Bins];
        var weights = new double[Bins];
        var predicted = new double[Bins];
        var read = new double[Bins];
        foreach (LabelledSample s in holdout)
        {
            if (!s.Decision.IsModelDecision)
            {
                continue;
            }

            double p = DecisionFigures.Probability(model, in s);
            int bin = Math.Clamp((int)(p * Bins), 0, Bins - 1);
            samples[bin]++;
            weights[bin] += s.Weight;
            predicted[bin] += s.Weight * p;
            read[bin] += s.Label ? s.Weight : 0d;
        }

        var table = new ReliabilityBin[Bins];
        for (int i = 0; i < Bins; i++)
        {
            double w = weights[i];
            table[i] = new ReliabilityBin(
                (double)i / Bins,
                (double)(i + 1) / Bins,
                samples[i],
                w,
                w > 0d ? predicted[i] / w : double.NaN,
                w > 0d ? read[i] / w : double.NaN);
        }

        return table;
    }
}
