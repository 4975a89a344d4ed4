namespace PredictiveCaching.MachineLearning;

/// <summary>
/// One row of a reliability table: of the held-out decisions whose predicted probability fell in
/// [<see cref="Lower"/>, <see cref="Upper"/>), how many there were and how often the key was read.
/// </summary>
/// <param name="Lower">The bin's lower bound of predicted probability (inclusive).</param>
/// <param name="Upper">The bin's upper bound (exclusive; 1 is included in the last bin).</param>
/// <param name="Samples">How many held-out decisions fell in the bin.</param>
/// <param name="Weight">Their weight in the true distribution (sampling undone).</param>
/// <param name="MeanPredicted">The weighted mean predicted probability in the bin; NaN when it is empty.</param>
/// <param name="Observed">The weighted share read within the window; NaN when it is empty.</param>
public readonly record struct ReliabilityBin(double Lower, double Upper, int Samples, double Weight, double MeanPredicted, double Observed);
