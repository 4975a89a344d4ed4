using PredictiveCaching.Prediction;

namespace PredictiveCaching.MachineLearning;

/// <summary>How a training attempt ended.</summary>
public enum TrainingStatus
{
    /// <summary>A model was trained and is now in use.</summary>
    Accepted,

    /// <summary>A model was trained but did worse on the held-out slice than the one in use (or than the base rate, for the first).</summary>
    Rejected,

    /// <summary>Fewer labelled samples than <see cref="MachineLearningOptions.MinSamplesForTraining"/>, or only one class.</summary>
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

    /// <summary>Gets a short explanation (why data was not enough, the exception message).</summary>
    public string? Message { get; init; }
}
