using Microsoft.Extensions.DependencyInjection;
using PredictiveCaching.Features;
using PredictiveCaching.Prediction;

namespace PredictiveCaching.MachineLearning.Tests;

public sealed class ModelTrainerTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "pc-ml-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task TrainAsync_TooFewSamples_ReportsNotEnoughData_AndKeepsHeuristic()
    {
        using var sut = MlHarness.Create();
        sut.RunRhythm(TimeSpan.FromMinutes(2));

        TrainingOutcome outcome = await sut.Trainer.TrainAsync();

        Assert.Equal(TrainingStatus.NotEnoughData, outcome.Status);
        Assert.Equal("heuristic", sut.Active.Current.Kind);
    }

    [Fact]
    public async Task TrainAsync_RhythmHistory_AcceptsModelThatBeatsBaseRate_AndSwapsItIn()
    {
        using var sut = MlHarness.Create();
        sut.RunRhythm(TimeSpan.FromHours(1));
        Assert.True(sut.Trainer.LabelledSampleCount >= 300, "labelled " + sut.Trainer.LabelledSampleCount);

        TrainingOutcome outcome = await sut.Trainer.TrainAsync();

        Assert.Equal(TrainingStatus.Accepted, outcome.Status);
        Assert.True(outcome.LogLoss < outcome.PreviousLogLoss, $"{outcome.LogLoss} vs base rate {outcome.PreviousLogLoss}");
        Assert.True(outcome.Auc > 0.7, "AUC " + outcome.Auc);
        IAccessPredictor current = sut.Active.Current;
        Assert.Same(outcome.Model, current);
        Assert.Equal("model v1", current.Kind);
        Assert.True(current.UsesFeatures);
        Assert.Contains(sut.Logs.GetSnapshot(), r => r.Id.Id == 101 && r.Message.Contains("held-out log-loss", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TrainAsync_Again_VersionsUp_AndRecordsDroppedFeatures()
    {
        using var sut = MlHarness.Create();
        sut.RunRhythm(TimeSpan.FromHours(1));
        TrainingOutcome first = await sut.Trainer.TrainAsync();
        Assert.Equal(TrainingStatus.Accepted, first.Status);

        // Constant features (e.g. resources, unknown here) have no importance and are dropped at the next training.
        Assert.NotEmpty(sut.Trainer.NextDroppedFeatures);
        Assert.All(sut.Trainer.NextDroppedFeatures, d => Assert.True(d.Importance < 0.05));
        sut.RunRhythm(TimeSpan.FromMinutes(20), seed: 2);

        TrainingOutcome second = await sut.Trainer.TrainAsync();

        Assert.NotNull(second.Model);
        Assert.Equal(2, second.Model.Metadata.Version);
        Assert.NotEmpty(second.Model.Metadata.DroppedFeatures);
        Assert.Contains(sut.Logs.GetSnapshot(), r => r.Id.Id == 105);
        if (second.Status == TrainingStatus.Accepted)
        {
            Assert.True(second.LogLoss <= second.PreviousLogLoss);
        }
        else
        {
            Assert.Equal(TrainingStatus.Rejected, second.Status);
            Assert.Same(first.Model, sut.Active.Current);
        }
    }

    [Fact]
    public async Task ModelPath_AcceptedModelIsSaved_AndARestartPredictsWithItFromTheStart()
    {
        string path = Path.Combine(_directory, "model.pctm");
        TreeModel trained;
        using (var first = MlHarness.Create(o => o.ModelPath = path))
        {
            first.RunRhythm(TimeSpan.FromHours(1));
            TrainingOutcome outcome = await first.Trainer.TrainAsync();
            Assert.Equal(TrainingStatus.Accepted, outcome.Status);
            trained = outcome.Model!;
        }

        Assert.True(File.Exists(path));
        using var restarted = MlHarness.Create(o => o.ModelPath = path);

        var loaded = Assert.IsType<TreeModel>(restarted.Active.Current);
        Assert.Equal("model v1", loaded.Kind);
        Assert.Contains(restarted.Logs.GetSnapshot(), r => r.Id.Id == 106);
        float[] row = new float[loaded.FeatureNames.Count];
        Assert.Equal(trained.PredictProbability(row), loaded.PredictProbability(row));
    }

    [Fact]
    public void ModelPath_CorruptFile_IsRefusedWithLog_AndHeuristicUsed()
    {
        Directory.CreateDirectory(_directory);
        string path = Path.Combine(_directory, "model.pctm");
        File.WriteAllBytes(path, [(byte)'P', (byte)'C', (byte)'T', (byte)'M', 1, 0, 1, 2, 3]);
        using var sut = MlHarness.Create(o => o.ModelPath = path);

        Assert.Equal("heuristic", sut.Active.Current.Kind);
        Assert.Contains(sut.Logs.GetSnapshot(), r => r.Id.Id == 107 && r.Message.Contains("heuristic predictor is used", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ModelPath_ModelOfOtherSchema_IsRefusedWithSchemaReason()
    {
        string path = Path.Combine(_directory, "model.pctm");
        using (var first = MlHarness.Create(o => o.ModelPath = path))
        {
            first.RunRhythm(TimeSpan.FromHours(1));
            Assert.Equal(TrainingStatus.Accepted, (await first.Trainer.TrainAsync()).Status);
        }

        using var sut = MlHarness.Create(o => o.ModelPath = path, b => b.AddFeatureExtractor(new ExtraFeature()));

        Assert.Equal("heuristic", sut.Active.Current.Kind);
        Assert.Contains(sut.Logs.GetSnapshot(), r => r.Id.Id == 107 && r.Message.Contains("different feature schema", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Schedule_FirstTrainingStartsOnceEnoughSamples_ThenWaitsForTheInterval()
    {
        using var sut = MlHarness.Create(o => o.RetrainingInterval = TimeSpan.FromHours(1));
        var service = (ModelTrainingService)sut.Provider.GetRequiredService(typeof(ModelTrainingService));
        Assert.False(sut.Trainer.ShouldTrain());

        sut.RunRhythm(TimeSpan.FromHours(1));
        Assert.True(sut.Trainer.ShouldTrain());
        service.Tick();
        Assert.NotNull(sut.Trainer.CurrentTraining);
        TrainingOutcome outcome = await sut.Trainer.CurrentTraining!;

        Assert.Equal(TrainingStatus.Accepted, outcome.Status);
        Assert.False(sut.Trainer.ShouldTrain());
        sut.Time.Advance(TimeSpan.FromMinutes(59));
        Assert.False(sut.Trainer.ShouldTrain());
        sut.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(sut.Trainer.ShouldTrain());
    }

    private sealed class ExtraFeature : PredictiveCaching.Features.IFeatureExtractor
    {
        public IReadOnlyList<string> FeatureNames { get; } = ["tenant_tier"];

        public void Extract(in PredictionContext context, Span<float> destination) => destination[0] = 1f;
    }
}
