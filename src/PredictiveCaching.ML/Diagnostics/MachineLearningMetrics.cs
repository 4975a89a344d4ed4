using System.Diagnostics.Metrics;
using PredictiveCaching.MachineLearning.Training;
using PredictiveCaching.Prediction;
using PredictiveCaching.Prefetching;

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
    private readonly TimeProvider _time;
    private Func<LearnedModelStatus>? _status;

    public MachineLearningMetrics(IMeterFactory meterFactory, ActivePredictor active, TrainingSampler sampler, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
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
        meter.CreateObservableCounter(
            "predictive_caching.ml.samples.skipped",
            () => sampler.SkippedCount,
            "{sample}",
            "Samples not taken because the pending store was full.");
        meter.CreateObservableGauge(
            "predictive_caching.ml.training.due_in",
            NextTrainingDue,
            "s",
            "Time until the schedule starts the next training (0 when due); no value while it waits for enough labelled samples.");
        meter.CreateObservableGauge(
            "predictive_caching.ml.holdout.misses_avoided",
            MissesAvoided,
            "{read}",
            "Held-out reads served at the strategy's threshold by the model in use and by the heuristic (tag predictor), as judged at the last training.");
        meter.CreateObservableGauge(
            "predictive_caching.ml.holdout.precision",
            Precision,
            "1",
            "Held-out precision at the strategy's threshold of the model in use and of the heuristic (tag predictor), as judged at the last training.");
    }

    /// <summary>Connects the gauges that read the trainer's state (the trainer is made after its metrics).</summary>
    public void Attach(Func<LearnedModelStatus> status) => Volatile.Write(ref _status, status);

    private IEnumerable<Measurement<double>> NextTrainingDue()
    {
        if (Volatile.Read(ref _status)?.Invoke() is { NextTrainingDue: { } due })
        {
            yield return new Measurement<double>(Math.Max(0d, (due - _time.GetUtcNow()).TotalSeconds));
        }
    }

    private IEnumerable<Measurement<double>> MissesAvoided()
    {
        if (Volatile.Read(ref _status)?.Invoke() is not { } status)
        {
            yield break;
        }

        if (!double.IsNaN(status.ModelMissesAvoided))
        {
            yield return new Measurement<double>(status.ModelMissesAvoided, new KeyValuePair<string, object?>("predictor", "model"));
        }

        if (!double.IsNaN(status.HeuristicMissesAvoided))
        {
            yield return new Measurement<double>(status.HeuristicMissesAvoided, new KeyValuePair<string, object?>("predictor", "heuristic"));
        }
    }

    private IEnumerable<Measurement<double>> Precision()
    {
        if (Volatile.Read(ref _status)?.Invoke() is not { } status)
        {
            yield break;
        }

        if (!double.IsNaN(status.ModelPrecision))
        {
            yield return new Measurement<double>(status.ModelPrecision, new KeyValuePair<string, object?>("predictor", "model"));
        }

        if (!double.IsNaN(status.HeuristicPrecision))
        {
            yield return new Measurement<double>(status.HeuristicPrecision, new KeyValuePair<string, object?>("predictor", "heuristic"));
        }
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
