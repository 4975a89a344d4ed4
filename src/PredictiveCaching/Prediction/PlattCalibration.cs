namespace PredictiveCaching.Prediction;

/// <summary>
/// Platt scaling of a raw classifier score into a probability, with ML.NET's sign convention:
/// <c>p = 1 / (1 + exp(Slope × score + Offset))</c> (a useful slope is negative).
/// </summary>
/// <param name="Slope">The factor of the score (ML.NET's <c>PlattCalibrator.Slope</c>).</param>
/// <param name="Offset">The constant (ML.NET's <c>PlattCalibrator.Offset</c>).</param>
public readonly record struct PlattCalibration(double Slope, double Offset)
{
    /// <summary>Turns a raw score into a probability, in [0, 1].</summary>
    /// <param name="score">The raw score of the classifier.</param>
    /// <returns>The calibrated probability.</returns>
    public double Probability(double score) => 1d / (1d + Math.Exp((Slope * score) + Offset));
}
