using Microsoft.Extensions.Logging;

namespace PredictiveCaching.MachineLearning.Diagnostics;

/// <summary>The ML package's log messages, source-generated; event ids 100–199.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 100, EventName = "ModelTrainingStarted", Level = LogLevel.Information,
        Message = "Training model v{Version} on {SampleCount} labelled samples ({PositiveCount} read within the window), leaving out {DroppedCount} features.")]
    public static partial void TrainingStarted(ILogger logger, int version, int sampleCount, int positiveCount, int droppedCount);

    [LoggerMessage(EventId = 101, EventName = "ModelAccepted", Level = LogLevel.Information,
        Message = "Model v{Version} replaces {Previous}: {Verdict} (held-out log-loss {LogLoss:0.0000} vs {PreviousLogLoss:0.0000}, AUC {Auc:0.000}, size RMSE {SizeRmse:0.000}, trained in {Duration}).")]
    public static partial void ModelAccepted(ILogger logger, int version, string previous, string verdict, double logLoss, double previousLogLoss, double auc, double sizeRmse, TimeSpan duration);

    [LoggerMessage(EventId = 102, EventName = "ModelRejected", Level = LogLevel.Information,
        Message = "Model v{Version} is not used: {Reason} (held-out log-loss {LogLoss:0.0000} vs {PreviousLogLoss:0.0000}, AUC {Auc:0.000}).")]
    public static partial void ModelRejected(ILogger logger, int version, string reason, double logLoss, double previousLogLoss, double auc);

    [LoggerMessage(EventId = 103, EventName = "ModelTrainingFailed", Level = LogLevel.Warning,
        Message = "Model training failed; the current predictor stays in use.")]
    public static partial void TrainingFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 104, EventName = "ModelTrainingSkipped", Level = LogLevel.Information,
        Message = "Model training skipped: {Reason}.")]
    public static partial void TrainingSkipped(ILogger logger, string reason);

    [LoggerMessage(EventId = 105, EventName = "FeaturesDropped", Level = LogLevel.Information,
        Message = "Features left out of the next training because their importance is below {Threshold}: {Features}.")]
    public static partial void FeaturesDropped(ILogger logger, double threshold, string features);

    [LoggerMessage(EventId = 106, EventName = "ModelLoaded", Level = LogLevel.Information,
        Message = "Loaded model v{Version} from {Path} (trained on {SampleCount} samples, held-out log-loss {LogLoss:0.0000}); it predicts from the first cycle.")]
    public static partial void ModelLoaded(ILogger logger, int version, string path, int sampleCount, double logLoss);

    [LoggerMessage(EventId = 107, EventName = "ModelRefused", Level = LogLevel.Warning,
        Message = "The model at {Path} is refused and the heuristic predictor is used: {Reason}.")]
    public static partial void ModelRefused(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 108, EventName = "ModelSaveFailed", Level = LogLevel.Warning,
        Message = "Saving the model to {Path} failed; it stays in use in memory.")]
    public static partial void ModelSaveFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 109, EventName = "SamplingFailed", Level = LogLevel.Error,
        Message = "Cutting training samples failed; sampling goes on at the next tick.")]
    public static partial void SamplingFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 110, EventName = "AccuracyDropped", Level = LogLevel.Information,
        Message = "Prefetch precision fell from {Baseline:0.00} to {Precision:0.00}; retraining early.")]
    public static partial void AccuracyDropped(ILogger logger, double baseline, double precision);

    // Information, not Debug: a mistyped ModelPath looks exactly like a first start, and should be visible at default levels.
    [LoggerMessage(EventId = 111, EventName = "NoModelFile", Level = LogLevel.Information,
        Message = "No model file at {Path} yet; predicting with the heuristic until a model is trained.")]
    public static partial void NoModelFile(ILogger logger, string path);

    [LoggerMessage(EventId = 112, EventName = "ModelPathIsDirectory", Level = LogLevel.Information,
        Message = "ModelPath {Path} is a directory, not a model file; predicting with the heuristic, and trained models cannot be saved there.")]
    public static partial void ModelPathIsDirectory(ILogger logger, string path);

    [LoggerMessage(EventId = 113, EventName = "FirstTraining", Level = LogLevel.Information,
        Message = "First model training: {LabelledCount} labelled samples ({DecisionCount} decisions sampled so far, {PendingCount} waiting for their window).")]
    public static partial void FirstTraining(ILogger logger, int labelledCount, long decisionCount, int pendingCount);

    [LoggerMessage(EventId = 114, EventName = "ModelRetired", Level = LogLevel.Information,
        Message = "Model v{Version} is taken out of use and the heuristic predicts again: on the newest held-out decisions it avoids {MissesAvoided:0.#} misses at precision {Precision:0.000}, the heuristic {HeuristicMissesAvoided:0.#} at {HeuristicPrecision:0.000}.")]
    public static partial void ModelRetired(ILogger logger, int version, double missesAvoided, double precision, double heuristicMissesAvoided, double heuristicPrecision);
}
