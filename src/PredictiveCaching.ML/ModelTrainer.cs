using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using PredictiveCaching.Features;
using PredictiveCaching.Loop.Outcomes;
using PredictiveCaching.MachineLearning.Diagnostics;
using PredictiveCaching.MachineLearning.Training;
using PredictiveCaching.Prediction;
using PredictiveCaching.Prefetching;

namespace PredictiveCaching.MachineLearning;

/// <summary>
/// Trains access and size models from the labelled samples and swaps an accepted model into the
/// <see cref="ActivePredictor"/>. The background service calls it on schedule; a trace replayer or a test drives it
/// directly: <see cref="CollectSamples"/> at each step of virtual time, <see cref="TrainAsync"/> when it wants a model.
/// </summary>
/// <remarks>
/// At most one training runs at a time, on a dedicated background thread with <see cref="ThreadPriority.BelowNormal"/>
/// (not a pool thread: a training of several seconds must not hold one of the pool threads the application's reads
/// continue on). Readers never wait: the swap is one reference write in <see cref="ActivePredictor.Use"/>.
/// </remarks>
public sealed class ModelTrainer : ILearnedModelStatusSource
{
    /// <summary>Fewest held-out decisions a model would make for the gate to judge it on what it does in the loop.</summary>
    internal const int MinimumJudgedDecisions = 30;

    /// <summary>How far a model's held-out precision may fall below the one it replaces (sampling noise), never more.</summary>
    internal const double PrecisionTolerance = 0.01;

    private const int MinimumOutcomesForPrecision = 20;

    private readonly TrainingSampler _sampler;
    private readonly FeatureSchema _schema;
    private readonly ActivePredictor _active;
    private readonly Func<MeasuredPrecision>? _accuracy;
    private readonly Func<TimeSpan> _lookahead;
    private readonly MachineLearningOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IModelPublisher? _shared;
    private readonly MachineLearningMetrics? _metrics;
    private readonly MachineLearningTracing? _tracing;
    private IReadOnlyList<DroppedFeature> _nextDropped = [];
    private int _running;
    private int _nextVersion = 1;
    private long _lastAttemptTicks = long.MinValue;
    private bool _hasModel;
    private double _precisionBaseline = double.NaN;
    private Task<TrainingOutcome>? _current;
    private int _trainings;
    private LastTraining? _last;
    private TrainingOutcome? _inUse;

    internal ModelTrainer(
        TrainingSampler sampler,
        FeatureSchema schema,
        ActivePredictor active,
        Func<MeasuredPrecision>? accuracy,
        Func<TimeSpan> lookahead,
        MachineLearningOptions options,
        TimeProvider time,
        ILogger logger,
        IModelPublisher? shared = null,
        MachineLearningMetrics? metrics = null,
        MachineLearningTracing? tracing = null)
    {
        _sampler = sampler;
        _schema = schema;
        _active = active;
        _accuracy = accuracy;
        _lookahead = lookahead;
        _options = options;
        _time = time;
        _logger = logger;
        _shared = shared;
        _metrics = metrics;
        _tracing = tracing;
        metrics?.Attach(GetStatus);
        if (active.Current is TreeModel loaded)
        {
            _hasModel = true;
            _nextVersion = loaded.Metadata.Version + 1;
            _lastAttemptTicks = time.GetUtcNow().UtcTicks;
        }
    }

    /// <summary>Gets how many labelled samples are held for training.</summary>
    public int LabelledSampleCount => _sampler.Store.Count;

    /// <summary>Gets how many samples wait for their lookahead window to pass.</summary>
    public int PendingSampleCount => _sampler.PendingCount;

    /// <summary>Gets a value indicating whether a training is running.</summary>
    public bool IsTraining => Volatile.Read(ref _running) != 0;

    /// <summary>Gets the features the next training leaves out, and why.</summary>
    public IReadOnlyList<DroppedFeature> NextDroppedFeatures => Volatile.Read(ref _nextDropped);

    /// <summary>
    /// Gets what learned prediction is doing: samples labelled and pending, when the next training is due, how the last
    /// one ended and why, and the model in use with its held-out figures (also in <see cref="PredictiveLoaderStatus.Model"/>).
    /// </summary>
    /// <returns>A snapshot.</returns>
    public LearnedModelStatus GetStatus()
    {
        LastTraining? last = Volatile.Read(ref _last);
        TrainingOutcome? inUse = Volatile.Read(ref _inUse);
        TreeModel? model = _active.Current as TreeModel;
        int labelled = _sampler.Store.Count;
        return new LearnedModelStatus
        {
            SamplesLabelled = labelled,
            SamplesPending = _sampler.PendingCount,
            SamplesSkipped = _sampler.SkippedCount,
            SamplesNeeded = _options.MinSamplesForTraining,
            NextTrainingDue = NextTrainingDue(labelled),
            IsTraining = IsTraining,
            Trainings = Volatile.Read(ref _trainings),
            LastTrainingAt = last?.At,
            LastTrainingResult = last is null ? null : ResultName(last.Outcome.Status),
            LastTrainingReason = last?.Outcome.Message,
            ModelVersion = model?.Metadata.Version ?? 0,
            ModelTrainedAt = model is null ? null : new DateTimeOffset(model.Metadata.TrainedAtTicks, TimeSpan.Zero),
            ModelLogLoss = model?.Metadata.HoldoutLogLoss ?? double.NaN,
            ModelAuc = model?.Metadata.HoldoutAuc ?? double.NaN,
            ModelMissesAvoided = model is not null && inUse?.Model == model ? inUse.MissesAvoided : double.NaN,
            ModelPrecision = model is not null && inUse?.Model == model ? inUse.Precision : double.NaN,
            HeuristicMissesAvoided = last?.Outcome.HeuristicMissesAvoided ?? double.NaN,
            HeuristicPrecision = last?.Outcome.HeuristicPrecision ?? double.NaN,
        };
    }

    LearnedModelStatus ILearnedModelStatusSource.GetStatus() => GetStatus();

    /// <summary>Gets the training started last, if any; lets a caller wait for a training the schedule started.</summary>
    internal Task<TrainingOutcome>? CurrentTraining => Volatile.Read(ref _current);

    /// <summary>
    /// Labels the pending samples whose window has passed and cuts new samples from the tracked keys, at the
    /// <see cref="TimeProvider"/>'s current time. The background service calls this every
    /// <see cref="MachineLearningOptions.SampleInterval"/>; a replayer calls it as its virtual clock advances.
    /// </summary>
    /// <returns>How many new samples were taken.</returns>
    public int CollectSamples() => _sampler.SampleNow();

    /// <summary>
    /// Trains now on the labelled samples held, on a dedicated below-normal-priority thread, and swaps the model in when
    /// it is at least as good as the one in use on the newest held-out slice.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting; a training already under way runs to its end.</param>
    /// <returns>How the attempt ended.</returns>
    public ValueTask<TrainingOutcome> TrainAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _running, 1, 0) != 0)
        {
            return ValueTask.FromResult(Counted(new TrainingOutcome { Status = TrainingStatus.AlreadyRunning, Message = "another training is running" }));
        }

        long startedTicks = _time.GetUtcNow().UtcTicks;
        bool first = Interlocked.Exchange(ref _lastAttemptTicks, startedTicks) == long.MinValue && !_hasModel;
        LabelledSample[] samples = _sampler.Store.Snapshot();
        if (samples.Length < _options.MinSamplesForTraining)
        {
            Volatile.Write(ref _running, 0);
            string reason = string.Create(CultureInfo.InvariantCulture, $"{samples.Length} labelled samples, {_options.MinSamplesForTraining} needed");
            Log.TrainingSkipped(_logger, reason);
            return ValueTask.FromResult(Counted(new TrainingOutcome { Status = TrainingStatus.NotEnoughData, Message = reason }));
        }

        if (first)
        {
            Log.FirstTraining(_logger, samples.Length, _sampler.DecisionsSampled, _sampler.PendingCount);
        }

        var completion = new TaskCompletionSource<TrainingOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            TrainingOutcome outcome;

            // The span ends before the result is published, so whoever awaits the training sees it complete.
            using (Activity? activity = _tracing?.Source.StartActivity(MachineLearningDiagnostics.TrainingActivityName))
            {
                try
                {
                    outcome = TrainCore(samples);
                }
#pragma warning disable CA1031 // Training must never bring the host down; TrainCore already turns failures into outcomes.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    outcome = new TrainingOutcome { Status = TrainingStatus.Failed, Message = ex.Message };
                }

                MachineLearningTracing.Complete(activity, outcome, samples.Length);
            }

            Counted(outcome);

            // Released before the result is published, so whoever awaits it can start the next training at once.
            Volatile.Write(ref _running, 0);
            completion.SetResult(outcome);
        })
        {
            IsBackground = true,
            Priority = ThreadPriority.BelowNormal,
            Name = "PredictiveCaching model training",
        };
        Volatile.Write(ref _current, completion.Task);
        thread.Start();
        return new ValueTask<TrainingOutcome>(completion.Task.WaitAsync(cancellationToken));
    }

    private TrainingOutcome Counted(TrainingOutcome outcome)
    {
        _metrics?.RecordTraining(outcome);
        if (outcome.Status != TrainingStatus.AlreadyRunning)
        {
            Interlocked.Increment(ref _trainings);
            Volatile.Write(ref _last, new LastTraining(_time.GetUtcNow(), outcome));
            if (outcome.Status == TrainingStatus.Accepted)
            {
                Volatile.Write(ref _inUse, outcome);
            }
        }

        return outcome;
    }

    private static string ResultName(TrainingStatus status) => status switch
    {
        TrainingStatus.Accepted => "accepted",
        TrainingStatus.Rejected => "rejected",
        TrainingStatus.NotEnoughData => "not-enough-data",
        TrainingStatus.Failed => "failed",
        _ => "already-running",
    };

    // When ShouldTrain will next say yes, as far as the clock decides it (an accuracy drop can make it sooner).
    private DateTimeOffset? NextTrainingDue(int labelled)
    {
        if (IsTraining || labelled < _options.MinSamplesForTraining)
        {
            return null;
        }

        long last = Interlocked.Read(ref _lastAttemptTicks);
        if (last == long.MinValue)
        {
            return _time.GetUtcNow();
        }

        long wait = _hasModel ? _options.RetrainingInterval.Ticks : _options.MinimumRetrainingGap.Ticks;
        return new DateTimeOffset(last + wait, TimeSpan.Zero);
    }

    /// <summary>Decides whether the schedule should start a training now.</summary>
    internal bool ShouldTrain()
    {
        if (IsTraining || _sampler.Store.Count < _options.MinSamplesForTraining)
        {
            return false;
        }

        long now = _time.GetUtcNow().UtcTicks;
        long last = Interlocked.Read(ref _lastAttemptTicks);
        if (last == long.MinValue)
        {
            return true;
        }

        long since = now - last;
        if (since < _options.MinimumRetrainingGap.Ticks)
        {
            return false;
        }

        if (!_hasModel || since >= _options.RetrainingInterval.Ticks)
        {
            return true;
        }

        return AccuracyDropped();
    }

    private bool AccuracyDropped()
    {
        if (_accuracy is null)
        {
            return false;
        }

        MeasuredPrecision measured = _accuracy();
        if (measured.Outcomes < MinimumOutcomesForPrecision)
        {
            return false;
        }

        double precision = measured.Precision;
        if (double.IsNaN(precision))
        {
            return false;
        }

        if (double.IsNaN(_precisionBaseline))
        {
            _precisionBaseline = precision;
            return false;
        }

        if (precision < _precisionBaseline - _options.AccuracyDropThreshold)
        {
            Log.AccuracyDropped(_logger, _precisionBaseline, precision);
            return true;
        }

        return false;
    }

    private TrainingOutcome TrainCore(LabelledSample[] samples)
    {
        var stopwatch = Stopwatch.StartNew();
        // Above the model in use, which may be a shared one another instance trained: versions rise across instances.
        int version = Math.Max(_nextVersion, _active.Current is TreeModel inUse ? inUse.Metadata.Version + 1 : 1);
        IReadOnlyList<DroppedFeature> dropped = CalendarCoverage.WithUncovered(Volatile.Read(ref _nextDropped), _schema.Names, samples);
        int positives = 0;
        foreach (LabelledSample s in samples)
        {
            positives += s.Label ? 1 : 0;
        }

        Log.TrainingStarted(_logger, version, samples.Length, positives, dropped.Count);
        FastTreeTrainingResult result;
        try
        {
            result = FastTreeModelBuilder.Train(samples, _schema.Names, dropped, _options, version, _time.GetUtcNow().UtcTicks, _lookahead());
        }
        catch (TrainingDataException ex)
        {
            Log.TrainingSkipped(_logger, ex.Message);
            return new TrainingOutcome { Status = TrainingStatus.NotEnoughData, Message = ex.Message, Duration = stopwatch.Elapsed };
        }
#pragma warning disable CA1031 // A failed training leaves the current predictor in use; it is logged, never thrown at the application.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.TrainingFailed(_logger, ex);
            return new TrainingOutcome { Status = TrainingStatus.Failed, Message = ex.Message, Duration = stopwatch.Elapsed };
        }

        UpdateDroppedFeatures(result.Importances, dropped);

        IAccessPredictor current = _active.Current;
        TreeModel? currentModel = current is TreeModel inUseModel && _schema.Matches(inUseModel.FeatureNames) ? inUseModel : null;
        double previousLoss = currentModel is not null
            ? ModelEvaluation.Evaluate(currentModel, result.Holdout).LogLoss
            : result.BaselineLogLoss;
        ModelEvaluation evaluation = result.Evaluation;
        TimeSpan duration = stopwatch.Elapsed;
        LabelledSample[] holdout = result.Holdout;

        // Where the model crosses the threshold, chosen on the calibration slice; the held-out slice then judges it.
        double shift = OperatingPoint.Fit(result.Model, result.Calibration);
        TreeModel trained = OperatingPoint.Shift(result.Model, shift);
        DecisionFigures candidate = DecisionFigures.OfModel(trained, holdout);
        DecisionFigures heuristic = DecisionFigures.OfHeuristic(holdout);
        DecisionFigures? incumbent = currentModel is null ? null : DecisionFigures.OfModel(currentModel, holdout);
        bool judgedOnDecisions = HasDecisions(holdout);
        string? verdict = Verdict(evaluation.LogLoss, previousLoss, currentModel is null ? "the base rate" : current.Kind, judgedOnDecisions, candidate, heuristic, incumbent, holdout, out TrainingStatus status);
        if (shift != 0d && verdict is not null)
        {
            verdict += string.Create(CultureInfo.InvariantCulture, $" (operating point: log-odds {shift:+0.00;-0.00})");
        }

        if (status == TrainingStatus.NotEnoughData)
        {
            Log.TrainingSkipped(_logger, verdict!);
            RetireIfWorse(currentModel, incumbent, heuristic);
            return Outcome(TrainingStatus.NotEnoughData, verdict, withModel: false);
        }

        if (status == TrainingStatus.Rejected)
        {
            Log.ModelRejected(_logger, version, verdict!, evaluation.LogLoss, previousLoss, evaluation.Auc);
            RetireIfWorse(currentModel, incumbent, heuristic);
            return Outcome(TrainingStatus.Rejected, verdict, withModel: true);
        }

        _active.Use(trained);
        _nextVersion = version + 1;
        _hasModel = true;
        _precisionBaseline = double.NaN;
        Log.ModelAccepted(_logger, version, current.Kind, verdict!, evaluation.LogLoss, previousLoss, evaluation.Auc, evaluation.SizeRmse, duration);
        Save(trained);
        Publish(trained);
        return Outcome(TrainingStatus.Accepted, verdict, withModel: true);

        TrainingOutcome Outcome(TrainingStatus ended, string? message, bool withModel) => new()
        {
            Status = ended,
            Model = withModel ? trained : null,
            OperatingPointShift = shift,
            LogLoss = evaluation.LogLoss,
            PreviousLogLoss = previousLoss,
            Auc = evaluation.Auc,
            Duration = duration,
            Message = message,
            JudgedDecisions = candidate.Decisions,
            MissesAvoided = judgedOnDecisions ? candidate.MissesAvoided : double.NaN,
            Precision = judgedOnDecisions ? candidate.Precision : double.NaN,
            HeuristicMissesAvoided = judgedOnDecisions ? heuristic.MissesAvoided : double.NaN,
            HeuristicPrecision = judgedOnDecisions ? heuristic.Precision : double.NaN,
            Reliability = judgedOnDecisions ? ReliabilityTable.OfModel(trained, holdout) : [],
            HeuristicReliability = judgedOnDecisions ? ReliabilityTable.OfHeuristic(holdout) : [],
            FeatureImportances = RankImportances(result.Importances),
        };
    }

    private KeyValuePair<string, double>[] RankImportances(double[] importances)
    {
        IReadOnlyList<string> names = _schema.Names;
        var ranked = new KeyValuePair<string, double>[Math.Min(names.Count, importances.Length)];
        for (int i = 0; i < ranked.Length; i++)
        {
            ranked[i] = new KeyValuePair<string, double>(names[i], importances[i]);
        }

        Array.Sort(ranked, static (a, b) => b.Value.CompareTo(a.Value));
        return ranked;
    }

    private static bool HasDecisions(LabelledSample[] holdout)
    {
        foreach (LabelledSample s in holdout)
        {
            if (s.Decision.IsDecision)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The gate. On decision samples a model is used only if, on the newest held-out slice and at each decision's
    /// threshold, it avoids more misses than the heuristic at a precision no lower (and no fewer than the model in use,
    /// within <see cref="PrecisionTolerance"/> of its precision), and its log-loss is no worse than the model in use's
    /// (or the base rate's). On samples of the tracked keys, which carry no decision, only the log-loss rule applies.
    /// </summary>
    private static string Verdict(
        double logLoss,
        double previousLoss,
        string previousKind,
        bool judgedOnDecisions,
        DecisionFigures candidate,
        DecisionFigures heuristic,
        DecisionFigures? incumbent,
        LabelledSample[] holdout,
        out TrainingStatus status)
    {
        CultureInfo c = CultureInfo.InvariantCulture;

        // "At least as good": a NaN on either side (an empty held-out slice) never replaces a model.
        if (!(logLoss <= previousLoss))
        {
            status = TrainingStatus.Rejected;
            return string.Create(c, $"held-out log-loss {logLoss:0.0000} is worse than {previousKind}'s {previousLoss:0.0000}");
        }

        if (!judgedOnDecisions)
        {
            status = TrainingStatus.Accepted;
            return string.Create(c, $"held-out log-loss {logLoss:0.0000} vs {previousKind}'s {previousLoss:0.0000}");
        }

        if (candidate.Decisions < MinimumJudgedDecisions)
        {
            status = TrainingStatus.NotEnoughData;
            return string.Create(c, $"the held-out slice (the newest {holdout.Length} samples) holds {candidate.Decisions} decisions a model would make, {MinimumJudgedDecisions} needed to judge it (the rest are expiry, co-access and hint decisions, which keep their own estimate)");
        }

        double floor = double.IsNaN(heuristic.Precision) ? DecisionFigures.MeanThreshold(holdout) : heuristic.Precision;
        string figures = string.Create(c, $"on {candidate.Decisions} held-out decisions it avoids {candidate.MissesAvoided:0.#} misses at precision {candidate.Precision:0.000}, the heuristic {heuristic.MissesAvoided:0.#} at {heuristic.Precision:0.000}");
        if (!(candidate.MissesAvoided > heuristic.MissesAvoided) || !(candidate.Precision >= floor))
        {
            status = TrainingStatus.Rejected;
            string how = !(candidate.MissesAvoided > heuristic.MissesAvoided)
                ? string.Create(c, $"{heuristic.MissesAvoided - candidate.MissesAvoided:0.#} fewer misses avoided")
                : string.Create(c, $"precision {floor - candidate.Precision:0.000} lower");
            status = TrainingStatus.Rejected;
            return "worse than the heuristic by " + how + ": " + figures;
        }

        if (incumbent is { } inUse &&
            (candidate.MissesAvoided < inUse.MissesAvoided || candidate.Precision < inUse.Precision - PrecisionTolerance))
        {
            status = TrainingStatus.Rejected;
            return string.Create(c, $"worse than {previousKind}, which avoids {inUse.MissesAvoided:0.#} misses at precision {inUse.Precision:0.000}: ") + figures;
        }

        status = TrainingStatus.Accepted;
        return figures + string.Create(c, $"; log-loss {logLoss:0.0000} vs {previousKind}'s {previousLoss:0.0000}");
    }

    // A model that no longer beats the heuristic on the newest decisions is taken out: it must never make the loop worse.
    private void RetireIfWorse(TreeModel? currentModel, DecisionFigures? incumbent, DecisionFigures heuristic)
    {
        if (currentModel is null || incumbent is not { } inUse || inUse.Decisions < MinimumJudgedDecisions)
        {
            return;
        }

        bool worse = inUse.MissesAvoided <= heuristic.MissesAvoided || inUse.Precision < heuristic.Precision;
        if (!worse)
        {
            return;
        }

        _active.Use(ActivePredictor.Heuristic);
        _hasModel = false;
        Volatile.Write(ref _inUse, null);
        Log.ModelRetired(_logger, currentModel.Metadata.Version, inUse.MissesAvoided, inUse.Precision, heuristic.MissesAvoided, heuristic.Precision);
    }

    private sealed record LastTraining(DateTimeOffset At, TrainingOutcome Outcome);

    // A feature left out of this training has no importance in it; it is re-admitted next time to earn its place back.
    private void UpdateDroppedFeatures(double[] importances, IReadOnlyList<DroppedFeature> droppedNow)
    {
        double threshold = _options.FeatureImportanceThreshold;
        var next = new List<DroppedFeature>();
        int kept = 0;
        for (int i = 0; i < importances.Length; i++)
        {
            string name = _schema.Names[i];
            bool wasDropped = false;
            foreach (DroppedFeature d in droppedNow)
            {
                wasDropped |= string.Equals(d.Name, name, StringComparison.Ordinal);
            }

            if (!wasDropped && importances[i] < threshold)
            {
                next.Add(new DroppedFeature(name, importances[i], threshold));
            }
            else if (!wasDropped)
            {
                kept++;
            }
        }

        // A model needs something to split on: if every feature falls below the threshold, none is dropped.
        if (kept == 0)
        {
            next.Clear();
        }

        Volatile.Write(ref _nextDropped, next);
        if (next.Count > 0 && _logger.IsEnabled(LogLevel.Information))
        {
            string names = string.Join(", ", next.Select(d => d.Name + " (" + d.Importance.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture) + ")"));
            Log.FeaturesDropped(_logger, threshold, names);
        }
    }

    // On the training thread, so the model is shared before the outcome is reported; the store bounds its own wait.
    private void Publish(TreeModel model) =>
        _shared?.PublishAsync(model, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    private void Save(TreeModel model)
    {
        if (_options.ModelPath is not { } path)
        {
            return;
        }

        try
        {
            TreeModelFormat.Save(model, path);
        }
#pragma warning disable CA1031 // A model that cannot be saved is still used; the failure is logged.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.ModelSaveFailed(_logger, path, ex);
        }
    }
}
