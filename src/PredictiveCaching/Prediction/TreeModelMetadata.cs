namespace PredictiveCaching.Prediction;

/// <summary>How and when a <see cref="TreeModel"/> was trained, stored with it.</summary>
public sealed class TreeModelMetadata
{
    /// <summary>
    /// Gets the model's version: one more than the newest model the process had trained or used when it was trained (1 for
    /// the first), so versions keep rising across instances that share models through an <see cref="IModelStore"/>.
    /// </summary>
    public int Version { get; init; }

    /// <summary>Gets when the model was trained, in UTC ticks.</summary>
    public long TrainedAtTicks { get; init; }

    /// <summary>Gets the number of labelled samples it was trained on (training and held-out slices together).</summary>
    public int SampleCount { get; init; }

    /// <summary>Gets the number of positive samples (read within the window) among <see cref="SampleCount"/>.</summary>
    public int PositiveCount { get; init; }

    /// <summary>Gets the weighted log-loss of the calibrated probability on the held-out slice; NaN when unknown.</summary>
    public double HoldoutLogLoss { get; init; } = double.NaN;

    /// <summary>Gets the area under the ROC curve on the held-out slice; NaN when unknown.</summary>
    public double HoldoutAuc { get; init; } = double.NaN;

    /// <summary>Gets the root mean squared error of the size model on log(size + 1) on the held-out slice; NaN when unknown.</summary>
    public double HoldoutSizeRmse { get; init; } = double.NaN;

    /// <summary>Gets the lookahead window the labels were cut with.</summary>
    public TimeSpan Lookahead { get; init; }

    /// <summary>
    /// Gets the features the model was trained without: their importance fell below the threshold in the previous model,
    /// or (importance and threshold NaN) they are clock features whose period the samples did not span twice.
    /// </summary>
    public IReadOnlyList<DroppedFeature> DroppedFeatures { get; init; } = [];
}

/// <summary>A feature left out of a training, and why.</summary>
/// <param name="Name">The feature name.</param>
/// <param name="Importance">Its normalised importance (share of the total) in the model that led to dropping it.</param>
/// <param name="Threshold">The importance below which features are dropped.</param>
public readonly record struct DroppedFeature(string Name, double Importance, double Threshold);
