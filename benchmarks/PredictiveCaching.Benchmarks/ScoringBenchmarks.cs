using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.ML;
using PredictiveCaching.MachineLearning;
using PredictiveCaching.MachineLearning.Training;
using PredictiveCaching.Prediction;

namespace PredictiveCaching.Benchmarks;

/// <summary>
/// Scoring one trained access model (100 trees, the built-in feature width) with ML.NET's <c>PredictionEngine</c> (the
/// baseline) and with the compiled flat-array form, per row and per batch of <see cref="BatchSize"/> candidates.
/// Targets: at least <see cref="TargetSpeedup"/>× faster and <see cref="TargetAllocatedBytes"/> bytes per call.
/// The <c>…Avx2</c> methods score the same model with the AVX2 layout forced (on an AVX-512 machine, to measure the
/// layout AVX2-only machines take; without AVX2 they fall back to the walk, as printed).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ScoringBenchmarks
{
    public const int BatchSize = 256;
    public const double TargetSpeedup = 10;
    public const long TargetAllocatedBytes = 0;
    public const int FeatureCount = 29;

    private PredictionEngine<TrainingRow, ClassifierPrediction> _engine = null!;
    private TreeModel _model = null!;
    private TreeModel _avx2 = null!;
    private TrainingRow[] _rows = null!;
    private float[] _flat = null!;
    private double[] _scores = null!;
    private ClassifierPrediction _prediction = new();
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        FastTreeTrainingResult trained = TrainSynthetic(20_000, FeatureCount, new MachineLearningOptions());
        _model = trained.Model;
        _engine = trained.Context.Model.CreatePredictionEngine<TrainingRow, ClassifierPrediction>(trained.ClassifierPipeline, inputSchemaDefinition: trained.InputSchema);
        (_rows, _flat) = CreateRows(BatchSize, FeatureCount);
        _scores = new double[BatchSize];
        _avx2 = WithLayout(_model, ScoringLayout.Vector256);
        Console.WriteLine("// model: " + Describe(_model.Classifier) + ", " + LayoutName(_model.Classifier));
        Console.WriteLine("// forced AVX2 model: " + LayoutName(_avx2.Classifier));

        // No silent fallback: the default model always fits a bit-set layout, so it must take the widest this CPU runs
        // (the CI guard then reports these benchmarks as having no result).
        if (_model.Classifier.Layout != CompiledTreeEnsemble.BestLayout
            || (CompiledTreeEnsemble.Runs(ScoringLayout.Vector256) && _avx2.Classifier.Layout != ScoringLayout.Vector256))
        {
            throw new InvalidOperationException($"The model scores with {_model.Classifier.Layout} (forced AVX2: {_avx2.Classifier.Layout}) where this CPU runs {CompiledTreeEnsemble.BestLayout}.");
        }
    }

    /// <summary>The same model with its classifier rebuilt for <paramref name="layout"/> (the walk where the CPU lacks it).</summary>
    internal static TreeModel WithLayout(TreeModel model, ScoringLayout layout)
    {
        CompiledTreeEnsemble e = model.Classifier;
        var classifier = new CompiledTreeEnsemble(
            e.FeatureCount, e.Bias, e.Roots.ToArray(), e.SplitFeatures.ToArray(), e.Thresholds.ToArray(), e.LeftChildren.ToArray(), e.RightChildren.ToArray(), e.LeafValues.ToArray(), layout);
        return new TreeModel(model.FeatureNames, classifier, model.Calibration, null, model.Metadata);
    }

    /// <summary>The layout an ensemble scores with and its vector width, as the guard and the logs print it.</summary>
    internal static string LayoutName(CompiledTreeEnsemble ensemble) => ensemble.Layout switch
    {
        ScoringLayout.Vector512 => "AVX-512 layout (512-bit vectors)",
        ScoringLayout.Vector256 => "AVX2 layout (256-bit vectors)",
        _ => "walk (no vectors)",
    };

    /// <summary>The same random rows for both paths: as ML.NET input objects and concatenated for the compiled scorer.</summary>
    internal static (TrainingRow[] Rows, float[] Flat) CreateRows(int count, int featureCount)
    {
        var random = new Random(3);
        var rows = new TrainingRow[count];
        float[] flat = new float[count * featureCount];
        for (int r = 0; r < count; r++)
        {
            float[] row = new float[featureCount];
            for (int f = 0; f < featureCount; f++)
            {
                row[f] = (float)(random.NextDouble() * 10d);
            }

            rows[r] = new TrainingRow { Features = row };
            row.CopyTo(flat, r * featureCount);
        }

        return (rows, flat);
    }

    /// <summary>Tree count, node count and the mean and largest leaf depth: what a walk pays per row.</summary>
    internal static string Describe(CompiledTreeEnsemble ensemble)
    {
        ReadOnlySpan<int> roots = ensemble.Roots;
        int maxDepth = 0;
        long depthSum = 0;
        int leaves = 0;
        var stack = new Stack<(int Node, int Depth)>();
        foreach (int root in roots)
        {
            stack.Push((root, 0));
            while (stack.Count > 0)
            {
                (int node, int depth) = stack.Pop();
                if (node < 0)
                {
                    maxDepth = Math.Max(maxDepth, depth);
                    depthSum += depth;
                    leaves++;
                    continue;
                }

                stack.Push((ensemble.LeftChildren[node], depth + 1));
                stack.Push((ensemble.RightChildren[node], depth + 1));
            }
        }

        return string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"{ensemble.TreeCount} trees, {ensemble.NodeCount} splits, {leaves} leaves, mean leaf depth {(double)depthSum / Math.Max(1, leaves):F1}, max depth {maxDepth}");
    }

    [GlobalCleanup]
    public void Cleanup() => _engine.Dispose();

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Row")]
    public float PredictionEngineRow()
    {
        _engine.Predict(_rows[0], ref _prediction);
        return _prediction.Probability;
    }

    [Benchmark]
    [BenchmarkCategory("Row")]
    public double CompiledRow() => _model.PredictProbability(_flat.AsSpan(0, FeatureCount));

    /// <summary>One row per call, a different one each time (256 in turn): branches are not learnt from a repeated row.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("RowVaried")]
    public float PredictionEngineRowVaried()
    {
        int r = _next = (_next + 1) & (BatchSize - 1);
        _engine.Predict(_rows[r], ref _prediction);
        return _prediction.Probability;
    }

    [Benchmark]
    [BenchmarkCategory("RowVaried")]
    public double CompiledRowVaried()
    {
        int r = _next = (_next + 1) & (BatchSize - 1);
        return _model.PredictProbability(_flat.AsSpan(r * FeatureCount, FeatureCount));
    }

    [Benchmark]
    [BenchmarkCategory("RowVaried")]
    public double CompiledRowVariedAvx2()
    {
        int r = _next = (_next + 1) & (BatchSize - 1);
        return _avx2.PredictProbability(_flat.AsSpan(r * FeatureCount, FeatureCount));
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Batch256")]
    public float PredictionEngineBatch256()
    {
        float sum = 0;
        for (int r = 0; r < BatchSize; r++)
        {
            _engine.Predict(_rows[r], ref _prediction);
            sum += _prediction.Probability;
        }

        return sum;
    }

    [Benchmark]
    [BenchmarkCategory("Batch256")]
    public double CompiledBatch256()
    {
        _model.PredictProbabilities(_flat, _scores);
        return _scores[BatchSize - 1];
    }

    [Benchmark]
    [BenchmarkCategory("Batch256")]
    public double CompiledBatch256Avx2()
    {
        _avx2.PredictProbabilities(_flat, _scores);
        return _scores[BatchSize - 1];
    }

    /// <summary>Trains on synthetic samples whose read probability depends on a few features.</summary>
    internal static FastTreeTrainingResult TrainSynthetic(int count, int featureCount, MachineLearningOptions options)
    {
        var random = new Random(1);
        var samples = new LabelledSample[count];
        for (int i = 0; i < count; i++)
        {
            float[] features = new float[featureCount];
            for (int f = 0; f < featureCount; f++)
            {
                features[f] = (float)(random.NextDouble() * 10d);
            }

            double logit = (0.8 * features[0]) - (0.5 * features[1]) + (0.3 * Math.Sin(features[2])) - 1d;
            bool label = random.NextDouble() < 1d / (1d + Math.Exp(-logit));
            samples[i] = new LabelledSample(features, label, 1f, label ? (float)Math.Log(1001d + (50d * features[3])) : float.NaN, i * TimeSpan.TicksPerSecond);
        }

        string[] names = new string[featureCount];
        for (int f = 0; f < featureCount; f++)
        {
            names[f] = "f" + f.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return FastTreeModelBuilder.Train(samples, names, [], options, 1, 0, TimeSpan.FromMinutes(5));
    }
}
