using PredictiveCaching.Prediction;

namespace PredictiveCaching.MachineLearning;

/// <summary>How a training attempt ended.</summary>
public enum TrainingStatus
{
    /// <summary>A model was trained and is now in use.</summary>
    Accepted,

    /// <summary>
    /// A model was trained but did worse on the newest held-out slice than the heuristic (fewer misses avoided, or a
    /// lower precision, at the strategy's threshold), than the model in use, or than the base rate's log-loss.
    /// </summary>
    Rejected,

    /// <summary>
    /// Fewer labelled samples than <see cref="MachineLearningOptions.MinSamplesForTraining"/>, only one class, or too few
    /// held-out decisions a model would make to judge it.
    /// </summary>
    NotEnoughData,

    /// <summary>Another training was running.</summary>
    AlreadyRunning,

    /// <summary>Training threw; the predictor in use did not change.</summary>
    Failed,
}

/// <summary>The result of one training attempt.</summary>
public sealed class TrainingOutcome
{
    /// <summary>Gets how the attempt ended.</summary>
    public required TrainingStatus Status { get; init; }

    /// <summary>Gets the trained model, accepted or not; <see langword="null"/> when none was trained.</summary>
    public TreeModel? Model { get; init; }

    /// <summary>Gets the new model's held-out log-loss; NaN when none was trained.</summary>
    public double LogLoss { get; init; } = double.NaN;

    /// <summary>Gets the log-loss it was compared with: the current model's on the same slice, or the base rate's.</summary>
    public double PreviousLogLoss { get; init; } = double.NaN;

    /// <summary>Gets the new model's held-out AUC; NaN when none was trained.</summary>
    public double Auc { get; init; } = double.NaN;

    /// <summary>Gets how long training took.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>
    /// Gets why the attempt ended so, in words: the figures it was judged by (accepted; rejected as worse than the
    /// heuristic or the model in use, by how much), what data was missing, or the exception message.
    /// </summary>
    public string? Message { get; init; }

    /// <summary>
    /// Gets the shift of the model's log-odds chosen on the calibration slice so that, at the strategy's threshold, it
    /// avoids the most misses at no lower precision than the heuristic (0 when none was chosen); <see cref="Model"/> carries it.
    /// </summary>
    public double OperatingPointShift { get; init; }

    /// <summary>Gets how many held-out decisions a model would make were judged (0 for samples of the tracked keys).</summary>
    public int JudgedDecisions { get; init; }

    /// <summary>
    /// Gets the weighted held-out reads the new model would have served at the strategy's threshold, over the decisions
    /// a model makes; NaN when none was judged.
    /// </summary>
    public double MissesAvoided { get; init; } = double.NaN;

    /// <summary>Gets the precision of what the new model admits on those decisions; NaN when none was judged.</summary>
    public double Precision { get; init; } = double.NaN;

    /// <summary>Gets the heuristic's misses avoided on the same decisions; NaN when none was judged.</summary>
    public double HeuristicMissesAvoided { get; init; } = double.NaN;

    /// <summary>Gets the heuristic's precision on the same decisions; NaN when none was judged.</summary>
    public double HeuristicPrecision { get; init; } = double.NaN;

    /// <summary>
    /// Gets the new model's reliability on the held-out decisions a model would make, in ten bins of predicted
    /// probability (with the shift of <see cref="OperatingPointShift"/>, as it would be used); empty when none was judged.
    /// </summary>
    public IReadOnlyList<ReliabilityBin> Reliability { get; init; } = [];

    /// <summary>Gets the heuristic's reliability on the same decisions; empty when none was judged.</summary>
    public IReadOnlyList<ReliabilityBin> HeuristicReliability { get; init; } = [];

    /// <summary>
    /// Gets the new model's feature importances (gain-based, summing to 1), highest first; empty when none was trained.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, double>> FeatureImportances { get; init; } = [];
}
