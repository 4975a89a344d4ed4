using System.Globalization;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using PredictiveCaching.MachineLearning;
using PredictiveCaching.Prediction;
using PredictiveCaching.Replay.Readers;
using PredictiveCaching.Strategies;

namespace PredictiveCaching.Replay.Policies;

/// <summary>
/// The library with <c>AddMachineLearning()</c> and the Balanced strategy, trained in virtual time on the trace's own
/// past. Hosted services are not started, so this policy does what <c>ModelTrainingService</c> would: every
/// <see cref="MachineLearningOptions.SampleInterval"/> of virtual time it labels and cuts samples
/// (<see cref="ModelTrainer.CollectSamples"/>); the first training runs once
/// <see cref="MachineLearningOptions.MinSamplesForTraining"/> labelled samples exist, then every
/// <see cref="ReplaySettings.RetrainInterval"/> of virtual time. Until a model is accepted it predicts with the heuristic,
/// exactly as <c>predictive-balanced</c> does.
/// </summary>
/// <remarks>
/// The replay waits for each training (virtual time stands still meanwhile): in a service the model arrives seconds
/// later, which at the traces' scale of minutes changes nothing, and waiting keeps runs deterministic.
/// </remarks>
internal sealed class LearnedPolicy : IReplayPolicy
{
    public const string PolicyName = "predictive-learned";

    private readonly ReplayContext _context;
    private readonly LibraryHost _host;
    private readonly ModelTrainer _trainer;
    private readonly ActivePredictor _active;
    private readonly long _sampleTicks;
    private readonly long _retrainTicks;
    private readonly int _minSamples;
    private long _nextSample = long.MinValue;
    private long _nextTraining = long.MinValue;
    private TrainingOutcome? _lastJudged;

    public LearnedPolicy(ReplayContext context)
    {
        _context = context;
        var options = new MachineLearningOptions();
        _host = new LibraryHost(context, PrefetchStrategyKind.Balanced, withSource: true, builder => builder.AddMachineLearning());
        _trainer = _host.Services.GetRequiredService<ModelTrainer>();
        _active = _host.Services.GetRequiredService<ActivePredictor>();
        _sampleTicks = options.SampleInterval.Ticks;
        _retrainTicks = context.Settings.RetrainInterval.Ticks;
        _minSamples = options.MinSamplesForTraining;
    }

    public string Name => PolicyName;

    public IDistributedCache Cache => _host.Cache;

    public LibraryFigures? Library { get; private set; }

    /// <summary>Gets what happened to each training, for the run's log.</summary>
    public List<string> Trainings { get; } = [];

    public void OnRequest(in TraceRequest request, bool hit)
    {
    }

    public async Task OnCycleAsync()
    {
        await TrainIfDueAsync().ConfigureAwait(false);
        await _host.RunCycleAsync().ConfigureAwait(false);
    }

    public async Task FinishAsync()
    {
        _context.Origin.Closed = true;
        _context.Time.Advance(TimeSpan.FromSeconds(601) + _context.Settings.CycleInterval);
        await _host.RunCycleAsync().ConfigureAwait(false);
        Library = _host.Figures();
        Console.Error.WriteLine($"  {PolicyName}: {Trainings.Count} trainings; predictor at the end: {_active.Current.Kind}; {_trainer.GetStatus().SamplesLabelled} samples labelled, {_trainer.GetStatus().SamplesPending} pending, {_trainer.GetStatus().SamplesSkipped} skipped");
        foreach (string training in Trainings)
        {
            Console.Error.WriteLine("    " + training);
        }

        if (_lastJudged is { } judged)
        {
            Console.Error.WriteLine($"  {PolicyName}: the last judged training's held-out decisions ({judged.JudgedDecisions}), reliability by predicted probability:");
            Console.Error.WriteLine("    | predicted | decisions | weight | model: mean predicted | model: observed | heuristic: decisions | heuristic: mean predicted | heuristic: observed |");
            Console.Error.WriteLine("    |---|---:|---:|---:|---:|---:|---:|---:|");
            for (int i = 0; i < judged.Reliability.Count; i++)
            {
                ReliabilityBin m = judged.Reliability[i];
                ReliabilityBin h = judged.HeuristicReliability[i];
                Console.Error.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"    | {m.Lower:0.0}–{m.Upper:0.0} | {m.Samples} | {m.Weight:0} | {Cell(m.MeanPredicted)} | {Cell(m.Observed)} | {h.Samples} | {Cell(h.MeanPredicted)} | {Cell(h.Observed)} |"));
            }

            var importances = new List<string>();
            foreach (KeyValuePair<string, double> feature in judged.FeatureImportances)
            {
                if (importances.Count < 8)
                {
                    importances.Add(string.Create(CultureInfo.InvariantCulture, $"{feature.Key} {feature.Value:0.000}"));
                }
            }

            Console.Error.WriteLine("    importances: " + string.Join(", ", importances));
        }
    }

    private static string Cell(double value) => double.IsNaN(value) ? "–" : value.ToString("0.000", CultureInfo.InvariantCulture);

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private async Task TrainIfDueAsync()
    {
        long now = _context.Time.GetUtcNow().UtcTicks;
        if (_nextSample == long.MinValue)
        {
            _nextSample = now;
        }

        if (now < _nextSample)
        {
            return;
        }

        // Cycles are skipped across long idle gaps; sample once for the gap, not once per missed interval.
        _nextSample = now + _sampleTicks;
        _trainer.CollectSamples();
        if (_trainer.LabelledSampleCount < _minSamples || (_nextTraining != long.MinValue && now < _nextTraining))
        {
            return;
        }

        _nextTraining = now + _retrainTicks;
        TrainingOutcome outcome = await _trainer.TrainAsync().ConfigureAwait(false);
        if (outcome.Reliability.Count > 0)
        {
            _lastJudged = outcome;
        }

        Trainings.Add(string.Create(
            CultureInfo.InvariantCulture,
            $"t+{TimeSpan.FromTicks(now - TraceClock.Start.UtcTicks).TotalMinutes:0.0} min: {outcome.Status}, {_trainer.LabelledSampleCount} samples, log-loss {outcome.LogLoss:0.0000} vs {outcome.PreviousLogLoss:0.0000}, AUC {outcome.Auc:0.000}, {outcome.Duration.TotalSeconds:0.0} s; {outcome.Message}"));
    }
}
