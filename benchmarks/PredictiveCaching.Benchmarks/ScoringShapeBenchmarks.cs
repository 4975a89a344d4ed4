using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.ML;
using PredictiveCaching.MachineLearning;
using PredictiveCaching.MachineLearning.Training;
using PredictiveCaching.Prediction;

namespace PredictiveCaching.Benchmarks;

/// <summary>
/// How the scoring cost of both paths depends on the trees' shape: the same synthetic data trained with different leaf
/// caps (11 leaves is the largest leaf-wise tree that is never deeper than 10). Varied rows, as in <see cref="ScoringBenchmarks"/>.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByParams)]
public class ScoringShapeBenchmarks
{
    private const int Rows = 256;
    private PredictionEngine<TrainingRow, ClassifierPrediction> _engine = null!;
    private TreeModel _model = null!;
    private TrainingRow[] _rows = null!;
    private float[] _flat = null!;
    private ClassifierPrediction _prediction = new();
    private int _next;

    [Params(1, 11, 20, 64)]
    public int Leaves { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        int features = ScoringBenchmarks.FeatureCount;
        var options = new MachineLearningOptions { MaximumLeaves = Math.Max(2, Leaves) };
        if (Leaves == 1)
        {
            // One tree of two leaves: what a prediction costs apart from the trees.
            options.NumberOfTrees = 1;
        }

        FastTreeTrainingResult trained = ScoringBenchmarks.TrainSynthetic(20_000, features, options);
        _model = trained.Model;
        _engine = trained.Context.Model.CreatePredictionEngine<TrainingRow, ClassifierPrediction>(trained.ClassifierPipeline, inputSchemaDefinition: trained.InputSchema);
        var random = new Random(3);
        _rows = new TrainingRow[Rows];
        _flat = new float[Rows * features];
        for (int r = 0; r < Rows; r++)
        {
            float[] row = new float[features];
            for (int f = 0; f < features; f++)
            {
                row[f] = (float)(random.NextDouble() * 10d);
            }

            _rows[r] = new TrainingRow { Features = row };
            row.CopyTo(_flat, r * features);
        }

        Console.WriteLine("// model: " + ScoringBenchmarks.Describe(_model.Classifier));
    }

    [GlobalCleanup]
    public void Cleanup() => _engine.Dispose();

    [Benchmark(Baseline = true)]
    public float PredictionEngineRowVaried()
    {
        int r = _next = (_next + 1) & (Rows - 1);
        _engine.Predict(_rows[r], ref _prediction);
        return _prediction.Probability;
    }

    [Benchmark]
    public double CompiledRowVaried()
    {
        int r = _next = (_next + 1) & (Rows - 1);
        return _model.PredictProbability(_flat.AsSpan(r * ScoringBenchmarks.FeatureCount, ScoringBenchmarks.FeatureCount));
    }
}
