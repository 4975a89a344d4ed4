using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using PredictiveCaching.MachineLearning.Diagnostics;
using PredictiveCaching.Testing;

namespace PredictiveCaching.MachineLearning.Tests.Diagnostics;

public sealed class MachineLearningMetricsTests
{
    private const string ParentSourceName = "PredictiveCaching.ML.Tests.Parent";

    // docs/operations.md lists every instrument of the ML meter: the test holds the two to each other.
    private static readonly string[] ExpectedInstruments = TelemetryReference.InstrumentsOf(MachineLearningDiagnostics.MeterName);

    [Fact]
    public async Task Meter_SkippedThenAcceptedTraining_CountsByResult_AndReportsVersionDurationAndSamples()
    {
        using var sut = MlHarness.Create();
        IMeterFactory factory = sut.Provider.GetRequiredService<IMeterFactory>();
        _ = sut.Trainer; // the instruments are created with the trainer
        var instruments = new Dictionary<string, Instrument>(StringComparer.Ordinal);
        var trainings = new Dictionary<string, long>(StringComparer.Ordinal);
        var durations = new List<(double Seconds, string? Result)>();
        var gauges = new Dictionary<string, long>(StringComparer.Ordinal);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == MachineLearningDiagnostics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                instruments[instrument.Name] = instrument;
                l.EnableMeasurementEvents(instrument);
            }
        };
        var doubles = new Dictionary<string, double>(StringComparer.Ordinal);
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) =>
        {
            if (i.Name == "predictive_caching.ml.trainings")
            {
                string result = (string)Tag(tags, "result")!;
                trainings[result] = trainings.GetValueOrDefault(result) + v;
            }
        });
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) =>
        {
            if (i.Name == "predictive_caching.ml.training.duration")
            {
                durations.Add((v, (string?)Tag(tags, "result")));
            }
            else
            {
                doubles[i.Name] = v;
            }
        });
        listener.SetMeasurementEventCallback<int>((i, v, _, _) => gauges[i.Name] = v);
        listener.Start();

        sut.RunRhythm(TimeSpan.FromMinutes(2));
        Assert.Equal(TrainingStatus.NotEnoughData, (await sut.Trainer.TrainAsync()).Status);
        listener.RecordObservableInstruments();
        Assert.Equal(0, gauges["predictive_caching.ml.model.version"]);
        Assert.True(gauges["predictive_caching.ml.samples.pending"] > 0, "pending " + gauges["predictive_caching.ml.samples.pending"]);

        sut.RunRhythm(TimeSpan.FromHours(1));
        Assert.Equal(TrainingStatus.Accepted, (await sut.Trainer.TrainAsync()).Status);
        listener.RecordObservableInstruments();

        Assert.Equal(ExpectedInstruments, instruments.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(1, trainings[MachineLearningMetrics.Skipped]);
        Assert.Equal(1, trainings[MachineLearningMetrics.Accepted]);
        (double seconds, string? tagged) = Assert.Single(durations);
        Assert.Equal(MachineLearningMetrics.Accepted, tagged);
        Assert.True(seconds > 0, "duration " + seconds);
        Assert.Equal(1, gauges["predictive_caching.ml.model.version"]);
        Assert.Equal(sut.Trainer.LabelledSampleCount, gauges["predictive_caching.ml.samples.labelled"]);
        Assert.Equal(3600d, doubles["predictive_caching.ml.training.due_in"]); // the retraining interval, on a fake clock
        Assert.False(doubles.ContainsKey("predictive_caching.ml.holdout.misses_avoided")); // samples of the tracked keys carry no decision
        Assert.Equal("s", instruments["predictive_caching.ml.training.duration"].Unit);
        Assert.Equal("{training}", instruments["predictive_caching.ml.trainings"].Unit);
        Assert.All(instruments.Values, i => Assert.False(string.IsNullOrWhiteSpace(i.Description), i.Name));
        Assert.All(instruments.Values, i => Assert.False(string.IsNullOrWhiteSpace(i.Unit), i.Name));
    }

    [Fact]
    public async Task ActivitySource_Training_EmitsOneSpanWithResultAndSamples()
    {
        using var sut = MlHarness.Create();
        var stopped = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is MachineLearningDiagnostics.ActivitySourceName or ParentSourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                lock (stopped)
                {
                    stopped.Add(a);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        sut.RunRhythm(TimeSpan.FromHours(1));

        // Other tests train in parallel: this test's span is the one under its own parent (the training thread
        // inherits the caller's execution context).
        using var parentSource = new ActivitySource(ParentSourceName);
        TrainingOutcome outcome;
        string parentId;
        using (Activity parent = parentSource.StartActivity("test")!)
        {
            parentId = parent.Id!;
            outcome = await sut.Trainer.TrainAsync();
        }

        Assert.Equal(TrainingStatus.Accepted, outcome.Status);
        Activity span;
        lock (stopped)
        {
            span = Assert.Single(stopped, a => a.ParentId == parentId);
        }

        Assert.Equal(MachineLearningMetrics.Accepted, span.GetTagItem("predictive_caching.training.result"));

        Assert.Equal(MachineLearningDiagnostics.TrainingActivityName, span.OperationName);
        Assert.Equal(sut.Trainer.LabelledSampleCount, span.GetTagItem("predictive_caching.training.samples"));
        Assert.Equal(1, span.GetTagItem("predictive_caching.training.version"));
        Assert.Equal(outcome.LogLoss, span.GetTagItem("predictive_caching.training.log_loss"));
    }

    private static object? Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
    {
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            if (tag.Key == name)
            {
                return tag.Value;
            }
        }

        return null;
    }
}
