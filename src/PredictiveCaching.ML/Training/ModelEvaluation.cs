using PredictiveCaching.Prediction;

namespace PredictiveCaching.MachineLearning.Training;

/// <summary>How well a model does on a held-out slice, with the samples' true-distribution weights.</summary>
/// <param name="LogLoss">Weighted mean log-loss of the calibrated probability (natural log).</param>
/// <param name="Auc">Weighted area under the ROC curve; NaN when the slice has a single class.</param>
/// <param name="SizeRmse">RMSE of the size model on log(size + 1) over positives with a known size; NaN without.</param>
internal readonly record struct ModelEvaluation(double LogLoss, double Auc, double SizeRmse)
{
    private const double Epsilon = 1e-15;

    public static ModelEvaluation Evaluate(TreeModel model, IReadOnlyList<LabelledSample> holdout)
    {
        ArgumentNullException.ThrowIfNull(model);
        var scored = new (double P, bool Label, double Weight)[holdout.Count];
        double loss = 0d, weights = 0d, squared = 0d, sizeWeights = 0d;
        for (int i = 0; i < holdout.Count; i++)
        {
            LabelledSample s = holdout[i];
            double p = model.PredictProbability(s.Features);
            scored[i] = (p, s.Label, s.Weight);
            loss += s.Weight * PointLoss(p, s.Label);
            weights += s.Weight;
            if (model.SizeRegressor is not null && s.Label && !float.IsNaN(s.LogSize))
            {
                double error = model.SizeRegressor.Score(s.Features) - s.LogSize;
                squared += error * error;
                sizeWeights += 1d;
            }
        }

        return new ModelEvaluation(
            weights > 0d ? loss / weights : double.NaN,
            AreaUnderCurve(scored),
            sizeWeights > 0d ? Math.Sqrt(squared / sizeWeights) : double.NaN);
    }

    public static double ConstantLogLoss(double probability, IReadOnlyList<LabelledSample> holdout)
    {
        double loss = 0d, weights = 0d;
        foreach (LabelledSample s in holdout)
        {
            loss += s.Weight * PointLoss(probability, s.Label);
            weights += s.Weight;
        }

        return weights > 0d ? loss / weights : double.NaN;
    }

    private static double PointLoss(double p, bool label)
    {
        p = Math.Clamp(p, Epsilon, 1d - Epsilon);
        return label ? -Math.Log(p) : -Math.Log(1d - p);
    }

    // Weighted AUC: the chance a random positive outranks a random negative, ties counting half.
    private static double AreaUnderCurve((double P, bool Label, double Weight)[] scored)
    {
        Array.Sort(scored, static (a, b) => a.P.CompareTo(b.P));
        double negativesBelow = 0d, totalPositive = 0d, totalNegative = 0d, area = 0d;
        int i = 0;
        while (i < scored.Length)
        {
            int j = i;
            double groupPositive = 0d, groupNegative = 0d;
            while (j < scored.Length && scored[j].P == scored[i].P)
            {
                if (scored[j].Label)
                {
                    groupPositive += scored[j].Weight;
                }
                else
                {
                    groupNegative += scored[j].Weight;
                }

                j++;
            }

            area += groupPositive * (negativesBelow + (0.5 * groupNegative));
            negativesBelow += groupNegative;
            totalPositive += groupPositive;
            totalNegative += groupNegative;
            i = j;
        }

        return totalPositive > 0d && totalNegative > 0d ? area / (totalPositive * totalNegative) : double.NaN;
    }
}
