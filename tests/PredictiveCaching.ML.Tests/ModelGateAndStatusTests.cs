using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PredictiveCaching.Features;
using PredictiveCaching.MachineLearning.Diagnostics;
using PredictiveCaching.MachineLearning.Tests.Training;
using PredictiveCaching.MachineLearning.Training;
using PredictiveCaching.Prediction;
using PredictiveCaching.Prefetching;

namespace PredictiveCaching.MachineLearning.Tests;

/// <summary>
/// The acceptance gate judged on decision samples (misses avoided at the decisions' threshold, against the heuristic
/// and the model in use) and the status it reports. Samples are put straight into the store, so each test knows exactly
/// what the heuristic decided and what happened.
/// </summary>
public sealed class ModelGateAndStatusTests
{
    private const int ClockFeatures = 8;

    private static MlHarness CreateSut(Action<MachineLearningOptions>? configure = null) =>
        MlHarness.Create(o =>
        {
            o.SampleTrackedKeys = false;
            o.MinSamplesForTraining = 1000;
            configure?.Invoke(o);
        });

    private enum Heuristic
    {
        /// <summary>Knows every outcome: 0.95 for a read, 0.05 otherwise.</summary>
        Perfect,

        /// <summary>0.3 for every candidate: below the threshold, admits nothing.</summary>
        Blind,

        /// <summary>0.95 for half the reads and a fifth of the others, 0.3 otherwise: admits some, at a precision near 0.8.</summary>
        Noisy,
    }

    /// <summary>Decisions whose outcome follows feature 0 and 1 (read when 0.8·f0 − 0.5·f1 − 1 is high); <paramref name="flip"/> reverses the rule.</summary>
    private static void AddDecisions(MlHarness h, int count, Heuristic heuristic, bool byPredictor = true, bool flip = false, int seed = 1, float threshold = 0.5f)
    {
        var store = h.Provider.GetRequiredService<TrainingSampleStore>();
        int featureCount = h.Provider.GetRequiredService<FeatureSchema>().Count;
        var random = new Random(seed);
        long start = h.Time.GetUtcNow().UtcTicks;
        for (int i = 0; i < count; i++)
        {
            // The rule lives in the columns after the eight clock features, which hold noise: a training whose samples
            // span less than two of a clock feature's periods (these span minutes) leaves that feature out.
            float[] rule = SyntheticSamples.LabelledRow(random, featureCount - ClockFeatures, out bool label);
            float[] features = new float[featureCount];
            for (int c = 0; c < ClockFeatures; c++)
            {
                features[c] = (float)(random.NextDouble() * 10d);
            }

            rule.CopyTo(features, ClockFeatures);
            label ^= flip;
            float p = heuristic switch
            {
                Heuristic.Perfect => label ? 0.95f : 0.05f,
                Heuristic.Noisy => random.NextDouble() < (label ? 0.5 : 0.2) ? 0.95f : 0.3f,
                _ => 0.3f,
            };
            store.Add(new LabelledSample(features, label, 1f, label ? 7f : float.NaN, start + (i * TimeSpan.TicksPerSecond), new DecisionRecord(true, p, 0f, threshold, byPredictor)));
        }
    }

    [Fact]
    public async Task TrainAsync_ModelAvoidsMoreMissesThanABlindHeuristic_IsAccepted_AndStatusShowsItsHeldOutFigures()
    {
        using MlHarness h = CreateSut();
        AddDecisions(h, 3000, Heuristic.Blind);

        TrainingOutcome outcome = await h.Trainer.TrainAsync();

        Assert.Equal(TrainingStatus.Accepted, outcome.Status);
        Assert.Same(outcome.Model, h.Active.Current);
        Assert.Equal(0d, outcome.HeuristicMissesAvoided);
        Assert.True(outcome.MissesAvoided > 0d, "misses avoided " + outcome.MissesAvoided);
        Assert.True(outcome.Precision >= 0.5, "precision " + outcome.Precision);
        Assert.Equal(600, outcome.JudgedDecisions); // the newest 20 %

        LearnedModelStatus status = h.Provider.GetRequiredService<IPredictiveLoader>().GetStatus().Model!;
        Assert.Equal("accepted", status.LastTrainingResult);
        Assert.Equal(1, status.ModelVersion);
        Assert.Equal(outcome.MissesAvoided, status.ModelMissesAvoided);
        Assert.Equal(outcome.Precision, status.ModelPrecision);
        Assert.Equal(0d, status.HeuristicMissesAvoided);
        Assert.Equal(outcome.LogLoss, status.ModelLogLoss);
        Assert.Equal(outcome.Auc, status.ModelAuc);
        Assert.Equal(h.Time.GetUtcNow(), status.ModelTrainedAt);
        Assert.Equal(h.Time.GetUtcNow() + TimeSpan.FromHours(1), status.NextTrainingDue);
        Assert.Contains("misses at precision", status.LastTrainingReason, StringComparison.Ordinal);
        Assert.Contains(h.Logs.GetSnapshot(), r => r.Id.Id == 113 && r.Level == LogLevel.Information);
        Assert.Contains(h.Logs.GetSnapshot(), r => r.Id.Id == 101 && r.Level == LogLevel.Information && r.Message.Contains("the heuristic 0 at", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TrainAsync_JudgedOnDecisions_ReportsReliabilityOfModelAndHeuristicOnTheSameDecisions_AndRankedImportances()
    {
        using MlHarness h = CreateSut();
        AddDecisions(h, 3000, Heuristic.Perfect);

        TrainingOutcome outcome = await h.Trainer.TrainAsync();

        Assert.Equal(10, outcome.Reliability.Count);
        Assert.Equal(10, outcome.HeuristicReliability.Count);
        int modelDecisions = 0, heuristicDecisions = 0;
        for (int i = 0; i < 10; i++)
        {
            ReliabilityBin m = outcome.Reliability[i];
            Assert.Equal(i / 10d, m.Lower, 12);
            Assert.Equal((i + 1) / 10d, m.Upper, 12);
            if (m.Samples > 0)
            {
                Assert.InRange(m.MeanPredicted, m.Lower, m.Upper);
                Assert.InRange(m.Observed, 0d, 1d);
            }

            modelDecisions += m.Samples;
            heuristicDecisions += outcome.HeuristicReliability[i].Samples;
        }

        Assert.Equal(outcome.JudgedDecisions, modelDecisions);
        Assert.Equal(outcome.JudgedDecisions, heuristicDecisions);

        // The heuristic said 0.05 for every key not read and 0.95 for every key read: two bins, observed 0 and 1.
        Assert.Equal(0d, outcome.HeuristicReliability[0].Observed);
        Assert.Equal(1d, outcome.HeuristicReliability[9].Observed);
        Assert.Equal(outcome.JudgedDecisions, outcome.HeuristicReliability[0].Samples + outcome.HeuristicReliability[9].Samples);

        Assert.NotEmpty(outcome.FeatureImportances);
        for (int i = 1; i < outcome.FeatureImportances.Count; i++)
        {
            Assert.True(outcome.FeatureImportances[i - 1].Value >= outcome.FeatureImportances[i].Value);
        }

        Assert.Equal(1d, outcome.FeatureImportances.Sum(f => f.Value), 6);
    }

    [Fact]
    public async Task TrainAsync_HeuristicAlreadyKnowsEveryOutcome_ModelIsRejectedAsWorseThanTheHeuristic_AndNotUsed()
    {
        using MlHarness h = CreateSut();
        AddDecisions(h, 3000, Heuristic.Perfect);

        TrainingOutcome outcome = await h.Trainer.TrainAsync();

        Assert.Equal(TrainingStatus.Rejected, outcome.Status);
        Assert.Equal("heuristic", h.Active.Current.Kind);
        Assert.True(outcome.HeuristicMissesAvoided > outcome.MissesAvoided, $"{outcome.HeuristicMissesAvoided} vs {outcome.MissesAvoided}");
        Assert.StartsWith("worse than the heuristic by ", outcome.Message, StringComparison.Ordinal);

        LearnedModelStatus status = h.Trainer.GetStatus();
        Assert.Equal("rejected", status.LastTrainingResult);
        Assert.Equal(outcome.Message, status.LastTrainingReason);
        Assert.Equal(0, status.ModelVersion);
        Assert.True(double.IsNaN(status.ModelMissesAvoided));
        Assert.Equal(outcome.HeuristicMissesAvoided, status.HeuristicMissesAvoided);
        Assert.Equal(h.Time.GetUtcNow() + TimeSpan.FromMinutes(5), status.NextTrainingDue); // no model: the minimum gap
        Assert.Contains(h.Logs.GetSnapshot(), r => r.Id.Id == 102 && r.Level == LogLevel.Information && r.Message.Contains("worse than the heuristic", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TrainAsync_CalibratedModelTooCautiousAtAHighThreshold_IsShiftedToTheHeuristicsPrecision_AndAvoidsMoreMisses()
    {
        using MlHarness h = CreateSut();
        AddDecisions(h, 4000, Heuristic.Noisy, threshold: 0.95f);

        TrainingOutcome outcome = await h.Trainer.TrainAsync();

        Assert.Equal(TrainingStatus.Accepted, outcome.Status);
        Assert.True(outcome.OperatingPointShift > 0d, "shift " + outcome.OperatingPointShift);
        Assert.True(outcome.MissesAvoided > outcome.HeuristicMissesAvoided, $"{outcome.MissesAvoided} vs {outcome.HeuristicMissesAvoided}");
        Assert.True(outcome.Precision >= outcome.HeuristicPrecision, $"{outcome.Precision} vs {outcome.HeuristicPrecision}");
        Assert.Equal(outcome.Model!.Calibration.Offset, h.Active.Current is TreeModel used ? used.Calibration.Offset : double.NaN);
        Assert.Contains("operating point: log-odds +", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrainAsync_NoDecisionAModelWouldMake_EndsAsNotEnoughData_WithTheReason()
    {
        using MlHarness h = CreateSut();
        AddDecisions(h, 3000, Heuristic.Blind, byPredictor: false);

        TrainingOutcome outcome = await h.Trainer.TrainAsync();

        Assert.Equal(TrainingStatus.NotEnoughData, outcome.Status);
        Assert.Equal("heuristic", h.Active.Current.Kind);
        Assert.Contains("0 decisions a model would make", outcome.Message, StringComparison.Ordinal);
        Assert.Equal("not-enough-data", h.Trainer.GetStatus().LastTrainingResult);
        Assert.Contains(h.Logs.GetSnapshot(), r => r.Id.Id == 104 && r.Level == LogLevel.Information);
    }

    [Fact]
    public async Task TrainAsync_ModelInUseFallsBehindTheHeuristic_IsRetired_AndTheHeuristicPredictsAgain()
    {
        using MlHarness h = CreateSut(o => o.MaxTrainingSamples = 3000);
        AddDecisions(h, 3000, Heuristic.Blind);
        Assert.Equal(TrainingStatus.Accepted, (await h.Trainer.TrainAsync()).Status);

        // The world changes: the rule flips and the heuristic now knows every outcome.
        h.Time.Advance(TimeSpan.FromHours(1));
        AddDecisions(h, 3000, Heuristic.Perfect, flip: true, seed: 2);
        TrainingOutcome second = await h.Trainer.TrainAsync();

        Assert.Equal(TrainingStatus.Rejected, second.Status);
        Assert.Equal("heuristic", h.Active.Current.Kind);
        Assert.Equal(0, h.Trainer.GetStatus().ModelVersion);
        Assert.Contains(h.Logs.GetSnapshot(), r => r.Id.Id == 114 && r.Level == LogLevel.Information);
    }

    [Fact]
    public void GetStatus_BeforeEnoughSamples_HasNoDueTime_ThenDueNowOnceThereAre()
    {
        using MlHarness h = CreateSut();
        AddDecisions(h, 999, Heuristic.Blind);

        LearnedModelStatus waiting = h.Trainer.GetStatus();
        Assert.Equal(999, waiting.SamplesLabelled);
        Assert.Equal(1000, waiting.SamplesNeeded);
        Assert.Null(waiting.NextTrainingDue);
        Assert.Null(waiting.LastTrainingResult);
        Assert.Equal(0, waiting.Trainings);

        AddDecisions(h, 1, Heuristic.Blind);
        Assert.Equal(h.Time.GetUtcNow(), h.Trainer.GetStatus().NextTrainingDue);
        Assert.True(h.Trainer.ShouldTrain());
    }

    [Fact]
    public async Task Meter_AfterAJudgedTraining_ReportsHeldOutFiguresOfModelAndHeuristic_AndTheTimeToTheNextTraining()
    {
        using MlHarness h = CreateSut();
        IMeterFactory factory = h.Provider.GetRequiredService<IMeterFactory>();
        _ = h.Trainer;
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == MachineLearningDiagnostics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) =>
        {
            string? predictor = null;
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                predictor = tag.Key == "predictor" ? (string?)tag.Value : predictor;
            }

            values[i.Name + (predictor is null ? string.Empty : "/" + predictor)] = v;
        });
        listener.Start();
        AddDecisions(h, 3000, Heuristic.Blind);
        TrainingOutcome outcome = await h.Trainer.TrainAsync();
        Assert.Equal(TrainingStatus.Accepted, outcome.Status);
        h.Time.Advance(TimeSpan.FromMinutes(10));

        listener.RecordObservableInstruments();

        Assert.Equal(outcome.MissesAvoided, values["predictive_caching.ml.holdout.misses_avoided/model"]);
        Assert.Equal(0d, values["predictive_caching.ml.holdout.misses_avoided/heuristic"]);
        Assert.Equal(outcome.Precision, values["predictive_caching.ml.holdout.precision/model"]);
        Assert.False(values.ContainsKey("predictive_caching.ml.holdout.precision/heuristic")); // it admitted nothing
        Assert.Equal(TimeSpan.FromMinutes(50).TotalSeconds, values["predictive_caching.ml.training.due_in"]);
    }

    [Fact]
    public void GetStatus_WithoutMachineLearning_HasNoModelSection()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDistributedMemoryCache();
        services.AddPredictiveLoading();
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Null(provider.GetRequiredService<IPredictiveLoader>().GetStatus().Model);
    }
}
