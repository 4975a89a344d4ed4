using PredictiveCaching.Prediction;

namespace PredictiveCaching.MachineLearning.Training;

/// <summary>
/// Fits Platt scaling <c>p = 1 / (1 + exp(A·s + B))</c> to weighted (score, label) pairs by Newton's method with
/// backtracking, with Platt's smoothed targets (Lin, Lin and Weng, 2007). ML.NET's Platt estimator takes no weights
/// into its public result, so the fit is done here and handed to ML.NET as a fixed Platt calibrator.
/// </summary>
internal static class PlattFitter
{
    public static PlattCalibration Fit(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels, ReadOnlySpan<double> weights)
    {
        double prior1 = 0d, prior0 = 0d;
        for (int i = 0; i < scores.Length; i++)
        {
            if (labels[i])
            {
                prior1 += weights[i];
            }
            else
            {
                prior0 += weights[i];
            }
        }

        double hiTarget = (prior1 + 1d) / (prior1 + 2d);
        double loTarget = 1d / (prior0 + 2d);
        double a = 0d;
        double b = Math.Log((prior0 + 1d) / (prior1 + 1d));
        double objective = Objective(scores, labels, weights, a, b, hiTarget, loTarget);
        for (int iteration = 0; iteration < 100; iteration++)
        {
            double h11 = 1e-12, h22 = 1e-12, h21 = 0d, g1 = 0d, g2 = 0d;
            for (int i = 0; i < scores.Length; i++)
            {
                double f = (scores[i] * a) + b;
                double p, q;
                if (f >= 0)
                {
                    double e = Math.Exp(-f);
                    p = e / (1d + e);
                    q = 1d / (1d + e);
                }
                else
                {
                    double e = Math.Exp(f);
                    p = 1d / (1d + e);
                    q = e / (1d + e);
                }

                double w = weights[i];
                double t = labels[i] ? hiTarget : loTarget;
                double d2 = p * q * w;
                h11 += scores[i] * scores[i] * d2;
                h22 += d2;
                h21 += scores[i] * d2;
                double d1 = (t - p) * w;
                g1 += scores[i] * d1;
                g2 += d1;
            }

            if (Math.Abs(g1) < 1e-9 && Math.Abs(g2) < 1e-9)
            {
                break;
            }

            double det = (h11 * h22) - (h21 * h21);
            double dA = -((h22 * g1) - (h21 * g2)) / det;
            double dB = -((-h21 * g1) + (h11 * g2)) / det;
            double gd = (g1 * dA) + (g2 * dB);
            double step = 1d;
            bool improved = false;
            while (step >= 1e-10)
            {
                double newA = a + (step * dA);
                double newB = b + (step * dB);
                double newObjective = Objective(scores, labels, weights, newA, newB, hiTarget, loTarget);
                if (newObjective < objective + (1e-4 * step * gd))
                {
                    a = newA;
                    b = newB;
                    objective = newObjective;
                    improved = true;
                    break;
                }

                step /= 2d;
            }

            if (!improved)
            {
                break;
            }
        }

        return new PlattCalibration(a, b);
    }

    private static double Objective(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels, ReadOnlySpan<double> weights, double a, double b, double hi, double lo)
    {
        double sum = 0d;
        for (int i = 0; i < scores.Length; i++)
        {
            double f = (scores[i] * a) + b;
            double t = labels[i] ? hi : lo;
            sum += weights[i] * (f >= 0 ? (t * f) + Math.Log(1d + Math.Exp(-f)) : ((t - 1d) * f) + Math.Log(1d + Math.Exp(f)));
        }

        return sum;
    }
}
