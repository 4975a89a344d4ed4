using System.Text.Json.Serialization;

namespace PredictiveCaching.Prefetching;

/// <summary>
/// What learned prediction (the <c>PredictiveCaching.ML</c> package) is doing: its samples, its schedule, how its last
/// training ended and why, and the model in use with its held-out figures. <see langword="null"/> in
/// <see cref="PredictiveLoaderStatus.Model"/> when the package is not added.
/// </summary>
// Held-out figures are NaN before any training: written to JSON as "NaN" rather than failing the serializer.
[JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)]
public sealed record LearnedModelStatus
{
    /// <summary>Gets how many labelled samples are held for the next training.</summary>
    public int SamplesLabelled { get; init; }

    /// <summary>Gets how many samples wait for their lookahead window to pass before they are labelled.</summary>
    public int SamplesPending { get; init; }

    /// <summary>Gets how many samples were not taken because the pending store was full.</summary>
    public long SamplesSkipped { get; init; }

    /// <summary>Gets how many labelled samples a training needs.</summary>
    public int SamplesNeeded { get; init; }

    /// <summary>
    /// Gets the earliest time the schedule starts the next training, or <see langword="null"/> while it waits for
    /// <see cref="SamplesNeeded"/> labelled samples (or a training is running).
    /// </summary>
    public DateTimeOffset? NextTrainingDue { get; init; }

    /// <summary>Gets a value indicating whether a training is running.</summary>
    public bool IsTraining { get; init; }

    /// <summary>Gets how many trainings were attempted.</summary>
    public int Trainings { get; init; }

    /// <summary>Gets when the last training attempt ended; <see langword="null"/> before the first.</summary>
    public DateTimeOffset? LastTrainingAt { get; init; }

    /// <summary>
    /// Gets how the last training ended: <c>accepted</c>, <c>rejected</c>, <c>not-enough-data</c> or <c>failed</c>;
    /// <see langword="null"/> before the first.
    /// </summary>
    public string? LastTrainingResult { get; init; }

    /// <summary>Gets why it ended so, in words (the figures it was judged by, or what data was missing).</summary>
    public string? LastTrainingReason { get; init; }

    /// <summary>Gets the version of the model in use; 0 while the heuristic predicts.</summary>
    public int ModelVersion { get; init; }

    /// <summary>Gets when the model in use was trained; <see langword="null"/> while the heuristic predicts.</summary>
    public DateTimeOffset? ModelTrainedAt { get; init; }

    /// <summary>Gets the held-out weighted log-loss of the model in use (NaN without one).</summary>
    public double ModelLogLoss { get; init; } = double.NaN;

    /// <summary>Gets the held-out AUC of the model in use (NaN without one).</summary>
    public double ModelAuc { get; init; } = double.NaN;

    /// <summary>
    /// Gets the reads the model in use would have served on its held-out slice, at the strategy's threshold (weighted
    /// count of read candidates it admits; NaN without one).
    /// </summary>
    public double ModelMissesAvoided { get; init; } = double.NaN;

    /// <summary>Gets the precision of what the model in use admits on its held-out slice (NaN without one).</summary>
    public double ModelPrecision { get; init; } = double.NaN;

    /// <summary>Gets the same figure for the heuristic on the same slice (NaN before any training was judged).</summary>
    public double HeuristicMissesAvoided { get; init; } = double.NaN;

    /// <summary>Gets the heuristic's precision on the same slice (NaN before any training was judged).</summary>
    public double HeuristicPrecision { get; init; } = double.NaN;
}
