using System.Diagnostics;

namespace PredictiveCaching.MachineLearning.Diagnostics;

/// <summary>
/// The <see cref="ActivitySource"/> named <see cref="MachineLearningDiagnostics.ActivitySourceName"/>: one
/// <see cref="MachineLearningDiagnostics.TrainingActivityName"/> activity per training. Tags are set only when a
/// listener asked for the activity.
/// </summary>
internal sealed class MachineLearningTracing : IDisposable
{
    public ActivitySource Source { get; } = new(MachineLearningDiagnostics.ActivitySourceName);

    public static void Complete(Activity? activity, TrainingOutcome outcome, int sampleCount)
    {
        if (activity is null)
        {
            return;
        }

        if (outcome.Status == TrainingStatus.Failed)
        {
            activity.SetStatus(ActivityStatusCode.Error, outcome.Message);
        }

        if (!activity.IsAllDataRequested)
        {
            return;
        }

        activity.SetTag("predictive_caching.training.result", MachineLearningMetrics.ResultOf(outcome.Status));
        activity.SetTag("predictive_caching.training.samples", sampleCount);
        if (outcome.Model is { } model)
        {
            activity.SetTag("predictive_caching.training.version", model.Metadata.Version);
        }

        if (!double.IsNaN(outcome.LogLoss))
        {
            activity.SetTag("predictive_caching.training.log_loss", outcome.LogLoss);
            activity.SetTag("predictive_caching.training.previous_log_loss", outcome.PreviousLogLoss);
            activity.SetTag("predictive_caching.training.auc", outcome.Auc);
        }
    }

    public void Dispose() => Source.Dispose();
}
