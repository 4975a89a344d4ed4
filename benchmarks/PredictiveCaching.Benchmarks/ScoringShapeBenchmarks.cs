using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.ML;
using PredictiveCaching.MachineLearning;
using PredictiveCaching.MachineLearning.Training;
using PredictiveCaching.Prediction;

namespace PredictiveCaching.Benchmarks;

/// <summary>
/// How the scoring cost of both paths depends on the trees' shape: the same synthetic data trained with different leaf
/// counts (11, the default, is the largest leaf-wise tree never deeper than 10; up to 16 leaves take the AVX-512 layout,
/// more take the walk). Varied rows, as in <see cref="ScoringBenchmarks"/>.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByParams)]
public class ScoringShapeBenchmarks
{
    private const int Rows = 256;
    private PredictionEngine<TrainingRow, ClassifierPrediction> _engine = null!;
    private TreeModel _model = null!;
    private TreeModel _avx2 = null!;
    private TrainingRow[] _rows = null!;
    private float[] _flat = null!;
    private ClassifierPrediction _prediction = new();
    private int _next;

    [Params(1, 11, 16, 20, 64)]
    public int Leaves { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        int features = ScoringBenchmarks.FeatureCount;
        var options = new MachineLearningOptions { MaximumDepth = Math.Max(1, Leaves - 1) };
        if (Leaves == 1)
        {
            // One tree of two leaves: what a prediction costs apart from the trees.
            options.NumberOfTrees = 1;
        }

        FastTreeTrainingResult trained = ScoringBenchmarks.TrainSynthetic(20_000, features, options);
        _model = trained.Model;
        _engine = trained.Context.Model.CreatePredictionEngine<TrainingRow, ClassifierPrediction>(trained.ClassifierPipeline, inputSchemaDefinition: trained.InputSchema);
        (_rows, _flat) = ScoringBenchmarks.CreateRows(Rows, features);

        _avx2 = ScoringBenchmarks.WithLayout(_model, ScoringLayout.Vector256);
        Console.WriteLine("// model: " + ScoringBenchmarks.Describe(_model.Classifier) + ", " + ScoringBenchmarks.LayoutName(_model.Classifier) + "; forced AVX2: " + ScoringBenchmarks.LayoutName(_avx2.Classifier));
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

    [Benchmark]
    public double CompiledRowVariedAvx2()
    {
        int r = _next = (_next + 1) & (Rows - 1);
        return _avx2.PredictProbability(_flat.AsSpan(r * ScoringBenchmarks.FeatureCount, ScoringBenchmarks.FeatureCount));
    }
}
