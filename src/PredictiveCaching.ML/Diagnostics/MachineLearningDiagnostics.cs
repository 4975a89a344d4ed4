namespace PredictiveCaching.MachineLearning.Diagnostics;

/// <summary>Names under which the learned-prediction package publishes metrics and traces.</summary>
public static class MachineLearningDiagnostics
{
    /// <summary>The name of the <see cref="System.Diagnostics.Metrics.Meter"/> of the learned-prediction package.</summary>
    public const string MeterName = "PredictiveCaching.ML";

    /// <summary>The name of the <see cref="System.Diagnostics.ActivitySource"/> that traces each training.</summary>
    public const string ActivitySourceName = "PredictiveCaching.ML";

    /// <summary>The name of the activity that spans one training, from the samples' snapshot to the swap.</summary>
    public const string TrainingActivityName = "predictive_caching.training";
}
