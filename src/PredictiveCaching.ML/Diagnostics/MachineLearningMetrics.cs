using System.Diagnostics.Metrics;
using PredictiveCaching.MachineLearning.Training;
using PredictiveCaching.Prediction;

namespace PredictiveCaching.MachineLearning.Diagnostics;

/// <summary>
/// The learned-prediction package's instruments on one <see cref="Meter"/> named
/// <see cref="MachineLearningDiagnostics.MeterName"/>: how trainings end, how long they take, the model version in
/// use and the samples waiting. Gauges read the live state when collected; nothing is recorded on the scoring path.
/// </summary>
internal sealed class MachineLearningMetrics
{
    /// <summary>The <c>result</c> tag of a training that produced a model now in use.</summary>
    public const string Accepted = "accepted";

    /// <summary>The <c>result</c> tag of a training whose model did worse than the one in use.</summary>
    public const string Rejected = "rejected";

    /// <summary>The <c>result</c> tag of a training that threw.</summary>
    public const string Failed = "failed";

    /// <summary>The <c>result</c> tag of an attempt that did not train: too little data, one class, or another training running.</summary>
    public const string Skipped = "skipped";

    private readonly Counter<long> _trainings;
    private readonly Histogram<double> _duration;

    public MachineLearningMetrics(IMeterFactory meterFactory, ActivePredictor active, TrainingSampler sampler)
    {
        Meter meter = meterFactory.Create(MachineLearningDiagnostics.MeterName);
        _trainings = meter.CreateCounter<long>("predictive_caching.ml.trainings", "{training}", "Training attempts, by result (accepted, rejected, failed, skipped).");
        _duration = meter.CreateHistogram<double>("predictive_caching.ml.training.duration", "s", "Time to train and evaluate a model, by result.");
        meter.CreateObservableGauge(
            "predictive_caching.ml.model.version",
            () => active.Current is TreeModel model ? model.Metadata.Version : 0,
            "{version}",
            "Version of the trained model in use; 0 while the heuristic predicts.");
        meter.CreateObservableGauge(
            "predictive_caching.ml.samples.labelled",
            () => sampler.Store.Count,
            "{sample}",
            "Labelled samples held for the next training.");
        meter.CreateObservableGauge(
            "predictive_caching.ml.samples.pending",
            () => sampler.PendingCount,
            "{sample}",
            "Samples waiting for their lookahead window to pass before they are labelled.");
    }

    public static string ResultOf(TrainingStatus status) => status switch
    {
        TrainingStatus.Accepted => Accepted,
        TrainingStatus.Rejected => Rejected,
        TrainingStatus.Failed => Failed,
        _ => Skipped,
    };

    public void RecordTraining(TrainingOutcome outcome)
    {
        var result = new KeyValuePair<string, object?>("result", ResultOf(outcome.Status));
        _trainings.Add(1, result);
        if (outcome.Status is TrainingStatus.Accepted or TrainingStatus.Rejected or TrainingStatus.Failed)
        {
            _duration.Record(outcome.Duration.TotalSeconds, result);
        }
    }
}
