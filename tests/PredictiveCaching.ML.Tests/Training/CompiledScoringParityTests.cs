using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
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

    /// <summary>
    /// Shapes that take each scoring layout: default trees (11 leaves) over 6 features (row copied) and 16-leaf trees over
    /// 29 and 32 features (row loaded in two overlapping registers) use the AVX-512 layout where the CPU has it; 17-leaf
    /// and 64-leaf trees, and 40 features, use the walk.
    /// </summary>
    [Theory]
    [InlineData(6, 10, true)]
    [InlineData(29, 15, true)]
    [InlineData(32, 15, true)]
    [InlineData(16, 10, true)]
    [InlineData(29, 16, false)]
    [InlineData(6, 63, false)]
    [InlineData(40, 10, false)]
    public void AnyShape_ThousandsOfRows_MatchesPredictionEngine_AndTheWalk(int features, int depth, bool vectorizable)
    {
        FastTreeTrainingResult trained = FastTreeModelBuilder.Train(
            SyntheticSamples.Create(4000, features, seed: features + depth),
            SyntheticSamples.Names(features),
            [],
            new MachineLearningOptions { NumberOfTrees = 30, MaximumDepth = depth, MinSizeSamples = 20 },
            version: 1,
            nowTicks: 0,
            lookahead: TimeSpan.FromMinutes(5));
        CompiledTreeEnsemble compiled = trained.Model.Classifier;
        CompiledTreeEnsemble walk = WithoutVectorLayout(compiled);
        Assert.Equal(vectorizable && Avx512F.IsSupported && Avx512CD.IsSupported && Vector512.IsHardwareAccelerated, compiled.IsVectorized);
        Assert.False(walk.IsVectorized);
        using PredictionEngine<TrainingRow, ClassifierPrediction> engine = trained.Context.Model.CreatePredictionEngine<TrainingRow, ClassifierPrediction>(
            trained.ClassifierPipeline, inputSchemaDefinition: trained.InputSchema);
        var random = new Random(depth);
        const int Rows = 3000;
        float[] all = new float[Rows * features];
        for (int i = 0; i < Rows; i++)
        {
            float[] row = SyntheticSamples.RandomRow(random, features, withNaN: i % 2 == 1);
            row.CopyTo(all, i * features);
            ClassifierPrediction expected = engine.Predict(new TrainingRow { Features = row });
            double score = compiled.Score(row);
            Assert.Equal(expected.Score, score, 1e-5);
            Assert.Equal(walk.Score(row), score, 1e-9);
            Assert.Equal(expected.Probability, trained.Model.PredictProbability(row), 1e-5);
            Assert.Equal(trained.Model.Calibration.Probability(walk.Score(row)), trained.Model.PredictProbability(row), 1e-12);
        }

        // Batches of every kind of length: passes of 64 rows, a partial pass, and a tail scored row by row.
        foreach (int length in new[] { 1, 31, 32, 63, 64, 65, 100, 1000, Rows })
        {
            double[] batch = new double[length];
            double[] probabilities = new double[length];
            compiled.ScoreBatch(all.AsSpan(0, length * features), batch);
            trained.Model.PredictProbabilities(all.AsSpan(0, length * features), probabilities);
            for (int i = 0; i < length; i++)
            {
                double expected = walk.Score(all.AsSpan(i * features, features));
                Assert.Equal(expected, batch[i], 1e-9);
                Assert.Equal(trained.Model.Calibration.Probability(expected), probabilities[i], 1e-12);
            }
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

    private static CompiledTreeEnsemble WithoutVectorLayout(CompiledTreeEnsemble e) => new(
        e.FeatureCount,
        e.Bias,
        e.Roots.ToArray(),
        e.SplitFeatures.ToArray(),
        e.Thresholds.ToArray(),
        e.LeftChildren.ToArray(),
        e.RightChildren.ToArray(),
        e.LeafValues.ToArray(),
        vectorize: false);

    private static int Depth(CompiledTreeEnsemble e, int node) =>
        node < 0 ? 0 : 1 + Math.Max(Depth(e, e.LeftChildren[node]), Depth(e, e.RightChildren[node]));

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
        // 100 rows: one pass of the 64-row batch layout, then rows one by one.
        double[] batch = new double[100];
        float[] rows = new float[100 * Features];
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
    public void DefaultOptions_TreesAreAtMostTenDeep()
    {
        CompiledTreeEnsemble classifier = s_trained.Value.Model.Classifier;
        for (int t = 0; t < classifier.TreeCount; t++)
        {
            Assert.InRange(Depth(classifier, classifier.Roots[t]), 0, 10);
        }

        Assert.True(classifier.LeafCount <= 11 * classifier.TreeCount);
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
