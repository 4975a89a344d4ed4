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
    [InlineData(false, "Vector512")]
    [InlineData(true, "Vector512")]
    [InlineData(false, "Vector256")]
    [InlineData(true, "Vector256")]
    [InlineData(false, "Walk")]
    [InlineData(true, "Walk")]
    public void Classifier_ThousandsOfRows_MatchesPredictionEngineWithin1e5(bool withNaN, string layout)
    {
        FastTreeTrainingResult trained = WithLayout(s_trained.Value, Enum.Parse<ScoringLayout>(layout));
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
    /// 29 and 32 features (row loaded in overlapping registers) build both bit-set layouts, which score where the CPU has
    /// their instructions and are checked through their scalar renditions everywhere; 17-leaf and 64-leaf trees, and 40
    /// features, use the walk. Every layout against PredictionEngine (1e-5) and the walk (1e-9), single rows and batches
    /// up to 3 000 rows across the 64-row pass and 256-row edges, raw scores and calibrated probabilities.
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
        CompiledTreeEnsemble walk = WithLayout(compiled, ScoringLayout.Walk);
        Assert.Equal(vectorizable ? CompiledTreeEnsemble.BestLayout : ScoringLayout.Walk, compiled.Layout);
        Assert.False(walk.IsVectorized);
        using PredictionEngine<TrainingRow, ClassifierPrediction> engine = trained.Context.Model.CreatePredictionEngine<TrainingRow, ClassifierPrediction>(
            trained.ClassifierPipeline, inputSchemaDefinition: trained.InputSchema);
        var random = new Random(depth);
        const int Rows = 3000;
        float[] all = new float[Rows * features];
        var expected = new ClassifierPrediction[Rows];
        double[] walked = new double[Rows];
        for (int i = 0; i < Rows; i++)
        {
            float[] row = SyntheticSamples.RandomRow(random, features, withNaN: i % 2 == 1);
            row.CopyTo(all, i * features);
            expected[i] = engine.Predict(new TrainingRow { Features = row });
            walked[i] = walk.Score(row);
            Assert.Equal(expected[i].Score, walked[i], 1e-5);
        }

        PlattCalibration calibration = trained.Model.Calibration;
        foreach (ScoringLayout layout in new[] { ScoringLayout.Vector512, ScoringLayout.Vector256 })
        {
            CompiledTreeEnsemble sut = WithLayout(compiled, layout);
            TreeModel model = new(trained.Model.FeatureNames, sut, calibration, null, trained.Model.Metadata);
            Assert.Equal(vectorizable ? layout : ScoringLayout.Walk, sut.BuiltLayout);
            Assert.Equal(vectorizable && CompiledTreeEnsemble.Runs(layout) ? layout : ScoringLayout.Walk, sut.Layout);
            for (int i = 0; i < Rows; i++)
            {
                ReadOnlySpan<float> row = all.AsSpan(i * features, features);
                double score = sut.Score(row);
                Assert.Equal(expected[i].Score, score, 1e-5);
                Assert.Equal(walked[i], score, 1e-9);
                if (vectorizable)
                {
                    Assert.Equal(walked[i], sut.ScoreBitSetsScalar(row), 1e-9);
                    Assert.Equal(walked[i], sut.ScoreBitSetBlocksScalar(row), 1e-9);
                }

                double probability = model.PredictProbability(row);
                Assert.Equal(expected[i].Probability, probability, 1e-5);
                Assert.Equal(calibration.Probability(walked[i]), probability, 1e-12);
            }

            // Batches of every kind of length: passes of 64 rows, a partial pass, a tail scored row by row, the 256 edge.
            foreach (int length in new[] { 1, 31, 32, 63, 64, 65, 100, 127, 128, 255, 256, 257, 300, 1000, Rows })
            {
                double[] batch = new double[length];
                double[] probabilities = new double[length];
                sut.ScoreBatch(all.AsSpan(0, length * features), batch);
                model.PredictProbabilities(all.AsSpan(0, length * features), probabilities);
                for (int i = 0; i < length; i++)
                {
                    Assert.Equal(walked[i], batch[i], 1e-9);
                    Assert.Equal(expected[i].Score, batch[i], 1e-5);
                    Assert.Equal(calibration.Probability(walked[i]), probabilities[i], 1e-12);
                    Assert.Equal(expected[i].Probability, probabilities[i], 1e-5);
                }
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

    /// <summary>The same training result with its model's classifier rebuilt for <paramref name="layout"/>.</summary>
    private static FastTreeTrainingResult WithLayout(FastTreeTrainingResult trained, ScoringLayout layout)
    {
        TreeModel m = trained.Model;
        return trained with { Model = new TreeModel(m.FeatureNames, WithLayout(m.Classifier, layout), m.Calibration, m.SizeRegressor, m.Metadata) };
    }

    private static CompiledTreeEnsemble WithLayout(CompiledTreeEnsemble e, ScoringLayout layout) => new(
        e.FeatureCount,
        e.Bias,
        e.Roots.ToArray(),
        e.SplitFeatures.ToArray(),
        e.Thresholds.ToArray(),
        e.LeftChildren.ToArray(),
        e.RightChildren.ToArray(),
        e.LeafValues.ToArray(),
        layout);

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

    [Theory]
    [InlineData("Vector512")]
    [InlineData("Vector256")]
    [InlineData("Walk")]
    public void Score_DoesNotAllocate(string layout)
    {
        TreeModel model = WithLayout(s_trained.Value, Enum.Parse<ScoringLayout>(layout)).Model;
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
