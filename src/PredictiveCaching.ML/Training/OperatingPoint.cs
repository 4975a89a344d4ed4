using PredictiveCaching.Prediction;

namespace PredictiveCaching.MachineLearning.Training;

/// <summary>
/// Where a model should cross the strategy's threshold. A calibrated model and the heuristic admit different shares of
/// candidates at the same threshold (the heuristic is cautious: at Balanced's 0.7 what it admits is read 90–97 % of the
/// time), so comparing them there trades precision for misses avoided. The operating point is the shift of the model's
/// log-odds that avoids the most misses on the calibration slice's decisions at a precision no lower than the
/// heuristic's there; the shifted model is what the gate then judges on the held-out slice (chosen on one slice, judged
/// on the next, so the choice is not fitted to its own verdict).
/// </summary>
internal static class OperatingPoint
{
    /// <summary>Keeps the shift within what a calibrated model can honestly be moved by (e^4 ≈ 55× in odds).</summary>
    private const double MaximumShift = 4d;

    /// <summary>The log-odds shift; 0 when the slice holds no decision a model makes or no shift meets the precision.</summary>
    public static double Fit(TreeModel model, IReadOnlyList<LabelledSample> slice)
    {
        ArgumentNullException.ThrowIfNull(model);
        DecisionFigures heuristic = DecisionFigures.OfHeuristic(slice);
        var needs = new List<(double Need, bool Label, double Weight)>();
        foreach (LabelledSample s in slice)
        {
            DecisionRecord d = s.Decision;
            if (!d.IsModelDecision)
            {
                continue;
            }

            // Admitted iff 1 − (1 − q')(1 − prior) ≥ t, i.e. q' ≥ t' = 1 − (1 − t)/(1 − prior); with q' = σ(logit q + δ),
            // iff δ ≥ logit t' − logit q.
            double prior = Math.Min(d.Prior, 0.999999);
            double target = 1d - ((1d - d.Threshold) / (1d - prior));
            double need = target <= 0d ? double.NegativeInfinity : Logit(target) - Logit(model.PredictProbability(s.Features));
            needs.Add((need, s.Label, s.Weight));
        }

        if (needs.Count < ModelTrainer.MinimumJudgedDecisions)
        {
            return 0d;
        }

        double floor = double.IsNaN(heuristic.Precision) ? DecisionFigures.MeanThreshold(slice) : heuristic.Precision;
        needs.Sort(static (a, b) => a.Need.CompareTo(b.Need));
        double avoided = 0d, admitted = 0d, bestAvoided = -1d, best = 0d;
        int i = 0;
        while (i < needs.Count)
        {
            double need = needs[i].Need;
            while (i < needs.Count && needs[i].Need == need)
            {
                admitted += needs[i].Weight;
                avoided += needs[i].Label ? needs[i].Weight : 0d;
                i++;
            }

            if (need > MaximumShift)
            {
                break;
            }

            if (need >= -MaximumShift && avoided / admitted >= floor && avoided > bestAvoided)
            {
                bestAvoided = avoided;
                best = need + 1e-9; // the last admitted decision sits on the threshold, not a rounding below it
            }
        }

        return bestAvoided > 0d ? best : 0d;
    }

    /// <summary>The model with its log-odds shifted by <paramref name="shift"/> (the Platt offset moved; trees unchanged).</summary>
    public static TreeModel Shift(TreeModel model, double shift)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (shift == 0d)
        {
            return model;
        }

        // p = 1 / (1 + exp(A·s + B)): logit p = −(A·s + B), so adding δ to the log-odds is B − δ.
        var calibration = new PlattCalibration(model.Calibration.Slope, model.Calibration.Offset - shift);
        return new TreeModel(model.FeatureNames, model.Classifier, calibration, model.SizeRegressor, model.Metadata);
    }

    private static double Logit(double p)
    {
        p = Math.Clamp(p, 1e-12, 1d - 1e-12);
        return Math.Log(p / (1d - p));
    }
}
