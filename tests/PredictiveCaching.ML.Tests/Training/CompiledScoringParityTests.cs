using Microsoft.ML;
using PredictiveCaching.MachineLearning.Training;
using PredictiveCaching.Prediction;

namespace PredictiveCaching.MachineLearning.Tests.Training;

/// <summary>The compiled ensembles score exactly as ML.NET's own PredictionEngine does on the same trained model.</summary>
public sealed class CompiledScoringParityTests
{
    private const int Features = 6;

    private static readonly Lazy<FastTreeTrainingResult> s_trained = new(() => FastTreeModelBuilder.Train(
        SyntheticSamples.Create(3000, Features),
        SyntheticSamples.Names(Features),
        [],
        new MachineLearningOptions { NumberOfTrees = 40, MinSizeSamples = 20 },
        version: 1,
        nowTicks: 0,
        lookahead: TimeSpan.FromMinutes(5)));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Classifier_ThousandsOfRows_MatchesPredictionEngineWithin1e5(bool withNaN)
    {
        FastTreeTrainingResult trained = s_trained.Value;
        using PredictionEngine<TrainingRow, ClassifierPrediction> engine = trained.Context.Model.CreatePredictionEngine<TrainingRow, ClassifierPrediction>(
            trained.ClassifierPipeline, inputSchemaDefinition: trained.InputSchema);
        var random = new Random(7);
        for (int i = 0; i < 5000; i++)
        {
            float[] row = SyntheticSamples.RandomRow(random, Features, withNaN);
            ClassifierPrediction expected = engine.Predict(new TrainingRow { Features = row });
            Assert.Equal(expected.Score, trained.Model.Classifier.Score(row), 1e-5);
            Assert.Equal(expected.Probability, trained.Model.PredictProbability(row), 1e-5);
        }
    }

    [Fact]
    public void SizeRegressor_ThousandsOfRows_MatchesPredictionEngineWithin1e5()
    {
        FastTreeTrainingResult trained = s_trained.Value;
        Assert.NotNull(trained.SizePipeline);
        Assert.NotNull(trained.Model.SizeRegressor);
        using PredictionEngine<TrainingRow, SizePrediction> engine = trained.Context.Model.CreatePredictionEngine<TrainingRow, SizePrediction>(
            trained.SizePipeline, inputSchemaDefinition: trained.InputSchema);
        var random = new Random(11);
        for (int i = 0; i < 3000; i++)
        {
            float[] row = SyntheticSamples.RandomRow(random, Features, withNaN: i % 2 == 0);
            Assert.Equal(engine.Predict(new TrainingRow { Features = row }).Score, trained.Model.SizeRegressor.Score(row), 1e-5);
        }
    }

    [Fact]
    public void Batch_EqualsSingleRowScores()
    {
        TreeModel model = s_trained.Value.Model;
        var random = new Random(3);
        const int Rows = 256;
        float[] rows = new float[Rows * Features];
        for (int r = 0; r < Rows; r++)
        {
            SyntheticSamples.RandomRow(random, Features, withNaN: true).CopyTo(rows, r * Features);
        }

        double[] batch = new double[Rows];
        model.PredictProbabilities(rows, batch);
        for (int r = 0; r < Rows; r++)
        {
            Assert.Equal(model.PredictProbability(rows.AsSpan(r * Features, Features)), batch[r], 12);
        }
    }

    [Fact]
    public void Score_DoesNotAllocate()
    {
        TreeModel model = s_trained.Value.Model;
        float[] row = SyntheticSamples.RandomRow(new Random(5), Features, withNaN: false);
        double[] batch = new double[4];
        float[] rows = new float[4 * Features];
        model.PredictProbability(row);
        model.PredictProbabilities(rows, batch);
        long before = GC.GetAllocatedBytesForCurrentThread();
        double sum = 0;
        for (int i = 0; i < 1000; i++)
        {
            sum += model.PredictProbability(row);
            model.PredictProbabilities(rows, batch);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        Assert.True(sum > 0);
    }

    [Fact]
    public void Model_LearnsTheRule_AndIsBetterThanTheBaseRate()
    {
        FastTreeTrainingResult trained = s_trained.Value;
        Assert.True(trained.Evaluation.Auc > 0.75, "AUC " + trained.Evaluation.Auc);
        Assert.True(trained.Evaluation.LogLoss < trained.BaselineLogLoss);
        Assert.True(trained.Importances[0] > 0.05 && trained.Importances[1] > 0.05);
        Assert.Equal(1d, trained.Importances.Sum(), 6);
    }
}
