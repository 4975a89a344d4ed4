using PredictiveCaching.Prediction;

namespace PredictiveCaching.MachineLearning.Training;

/// <summary>
/// What a way of scoring would have done at the decisions of a held-out slice, at each decision's own threshold: the
/// weighted reads it would have served (misses avoided) and the weighted candidates it would have admitted. Only the
/// decisions a model would make count (<see cref="DecisionRecord.ByPredictor"/>); decision points that keep their own
/// estimate are the same under either.
/// </summary>
/// <param name="MissesAvoided">Weighted count of admitted candidates that were read within the window.</param>
/// <param name="Admitted">Weighted count of admitted candidates.</param>
/// <param name="Decisions">How many decisions of the slice were judged.</param>
internal readonly record struct DecisionFigures(double MissesAvoided, double Admitted, int Decisions)
{
    /// <summary>Gets the share of admitted candidates that were read; NaN when nothing was admitted.</summary>
    public double Precision => Admitted > 0d ? MissesAvoided / Admitted : double.NaN;

    /// <summary>Gets the weighted count of admitted candidates not read: the extra origin loads.</summary>
    public double Wasted => Admitted - MissesAvoided;

    /// <summary>The heuristic's figures: the probabilities the loop used without a model.</summary>
    public static DecisionFigures OfHeuristic(IReadOnlyList<LabelledSample> holdout) => Of(null, holdout);

    /// <summary>
    /// A model's figures: its calibrated probability combined with the proposal's prior as a noisy-OR, exactly as
    /// <see cref="TreeModel.Predict"/> combines them in the loop.
    /// </summary>
    public static DecisionFigures OfModel(TreeModel model, IReadOnlyList<LabelledSample> holdout)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Of(model, holdout);
    }

    /// <summary>Gets the mean threshold of the judged decisions; NaN without any.</summary>
    public static double MeanThreshold(IReadOnlyList<LabelledSample> holdout)
    {
        double sum = 0d;
        int count = 0;
        foreach (LabelledSample s in holdout)
        {
            if (s.Decision.IsModelDecision)
            {
                sum += s.Decision.Threshold;
                count++;
            }
        }

        return count > 0 ? sum / count : double.NaN;
    }

    /// <summary>
    /// What the loop would have used at a decision: the heuristic's probability without a model, or the model's
    /// calibrated probability combined with the proposal's prior as a noisy-OR, as <see cref="TreeModel.Predict"/> does.
    /// </summary>
    public static double Probability(TreeModel? model, in LabelledSample sample) =>
        model is null
            ? sample.Decision.HeuristicProbability
            : 1d - ((1d - model.PredictProbability(sample.Features)) * (1d - sample.Decision.Prior));

    private static DecisionFigures Of(TreeModel? model, IReadOnlyList<LabelledSample> holdout)
    {
        double avoided = 0d, admitted = 0d;
        int decisions = 0;
        foreach (LabelledSample s in holdout)
        {
            DecisionRecord d = s.Decision;
            if (!d.IsModelDecision)
            {
                continue;
            }

            decisions++;
            if (Probability(model, in s) >= d.Threshold)
            {
                admitted += s.Weight;
                if (s.Label)
                {
                    avoided += s.Weight;
                }
            }
        }

        return new DecisionFigures(avoided, admitted, decisions);
    }
}
