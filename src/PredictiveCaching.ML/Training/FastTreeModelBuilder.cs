using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using PredictiveCaching.Prediction;

namespace PredictiveCaching.MachineLearning.Training;

/// <summary>
/// Trains the access classifier (FastTree binary, Platt-calibrated) and the size regressor (FastTree on log(size + 1))
/// with ML.NET, and compiles both into a <see cref="TreeModel"/>.
/// </summary>
/// <remarks>
/// <para>
/// Samples are split by time, oldest first: training, then a calibration slice, then the newest held-out slice. Testing
/// on the future of the training data is what the model will face, and neighbouring samples of one key cannot leak
/// across the split.
/// </para>
/// <para>
/// The classifier trains with class-balanced weights (each class weighs half); that shifts its raw log-odds, so the Platt
/// calibration is fitted afterwards on the calibration slice with the true-distribution weights, which undoes the shift
/// and the overconfidence of boosting at once. Dropped features are zeroed in the training rows: a constant column is
/// never split on, so the compiled model keeps the full schema and simply never reads them.
/// </para>
/// </remarks>
internal static class FastTreeModelBuilder
{
    public static FastTreeTrainingResult Train(
        LabelledSample[] samples,
        IReadOnlyList<string> featureNames,
        IReadOnlyList<DroppedFeature> dropped,
        MachineLearningOptions options,
        int version,
        long nowTicks,
        TimeSpan lookahead)
    {
        ArgumentNullException.ThrowIfNull(samples);
        int featureCount = featureNames.Count;
        LabelledSample[] ordered = [.. samples];
        Array.Sort(ordered, static (a, b) => a.SampleTicks.CompareTo(b.SampleTicks));
        int n = ordered.Length;
        int holdoutStart = n - (int)Math.Round(n * options.HoldoutFraction);
        int calibrationStart = holdoutStart - (int)Math.Round(n * options.CalibrationFraction);

        bool[] zeroed = new bool[featureCount];
        foreach (DroppedFeature feature in dropped)
        {
            for (int i = 0; i < featureCount; i++)
            {
                if (string.Equals(featureNames[i], feature.Name, StringComparison.Ordinal))
                {
                    zeroed[i] = true;
                }
            }
        }

        ArraySegment<LabelledSample> training = new(ordered, 0, calibrationStart);
        ArraySegment<LabelledSample> calibration = new(ordered, calibrationStart, holdoutStart - calibrationStart);
        ArraySegment<LabelledSample> holdout = new(ordered, holdoutStart, n - holdoutStart);
        (double positiveWeight, double negativeWeight) = ClassWeights(training);
        if (positiveWeight <= 0d || negativeWeight <= 0d)
        {
            throw new TrainingDataException("the training slice holds only one class (" + (positiveWeight > 0d ? "all read" : "none read") + ")");
        }

        // A model is judged on the held-out slice (against the model in use, or the base rate): with one class there,
        // log-loss rewards whichever model leans that way and AUC is undefined, so no verdict would mean anything.
        (double heldOutPositive, double heldOutNegative) = ClassWeights(holdout);
        if (heldOutPositive <= 0d || heldOutNegative <= 0d)
        {
            throw new TrainingDataException(
                "the held-out slice (the newest " + holdout.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) + " samples) holds only one class ("
                + (heldOutPositive > 0d ? "all read" : "none read") + "), so a model could not be judged");
        }

        double total = positiveWeight + negativeWeight;
        float positiveFactor = (float)(total / (2d * positiveWeight));
        float negativeFactor = (float)(total / (2d * negativeWeight));

        var mlContext = new MLContext(options.Seed);
        SchemaDefinition schema = CreateSchema(featureCount);
        IDataView trainView = mlContext.Data.LoadFromEnumerable(ToRows(training, zeroed, positiveFactor, negativeFactor), schema);

        int leaves = LeafCount(options, training.Count);
        var classifierOptions = new FastTreeBinaryTrainer.Options
        {
            FeatureColumnName = nameof(TrainingRow.Features),
            LabelColumnName = nameof(TrainingRow.Label),
            ExampleWeightColumnName = nameof(TrainingRow.Weight),
            NumberOfTrees = options.NumberOfTrees,
            NumberOfLeaves = leaves,
            MinimumExampleCountPerLeaf = options.MinimumExampleCountPerLeaf,
            LearningRate = options.LearningRate,
            Seed = options.Seed,
            NumberOfThreads = 1,
        };
        var classifier = mlContext.BinaryClassification.Trainers.FastTree(classifierOptions).Fit(trainView);

        CompiledTreeEnsemble compiledClassifier = TreeEnsembleCompiler.Compile(classifier.Model.SubModel.TrainedTreeEnsemble, featureCount);

        // Platt on the calibration slice with the true weights; the training slice if that slice lacks a class.
        ArraySegment<LabelledSample> calibrationSlice = HasBothClasses(calibration) ? calibration : training;
        PlattCalibration platt = FitCalibration(compiledClassifier, calibrationSlice);
        ITransformer classifierPipeline = classifier.Append(
            mlContext.BinaryClassification.Calibrators.Platt(platt.Slope, platt.Offset, "Score").Fit(trainView));
        double[] importances = Importances(classifier.Model.SubModel, featureCount);

        // Size: positives whose size was seen, training and calibration slices.
        var sized = new List<LabelledSample>();
        for (int i = 0; i < holdoutStart; i++)
        {
            if (ordered[i].Label && !float.IsNaN(ordered[i].LogSize))
            {
                sized.Add(ordered[i]);
            }
        }

        ITransformer? sizePipeline = null;
        CompiledTreeEnsemble? compiledSize = null;
        if (sized.Count >= options.MinSizeSamples)
        {
            IDataView sizeView = mlContext.Data.LoadFromEnumerable(ToRows(sized, zeroed, 1f, 1f), schema);
            var sizeOptions = new FastTreeRegressionTrainer.Options
            {
                FeatureColumnName = nameof(TrainingRow.Features),
                LabelColumnName = nameof(TrainingRow.LogSize),
                NumberOfTrees = options.NumberOfTrees,
                NumberOfLeaves = LeafCount(options, sized.Count),
                MinimumExampleCountPerLeaf = options.MinimumExampleCountPerLeaf,
                LearningRate = options.LearningRate,
                Seed = options.Seed,
                NumberOfThreads = 1,
            };
            var regression = mlContext.Regression.Trainers.FastTree(sizeOptions).Fit(sizeView);
            sizePipeline = regression;
            compiledSize = TreeEnsembleCompiler.Compile(regression.Model.TrainedTreeEnsemble, featureCount);
        }

        var provisional = new TreeModel(featureNames, compiledClassifier, platt, compiledSize, new TreeModelMetadata { Version = version });
        ModelEvaluation evaluation = ModelEvaluation.Evaluate(provisional, holdout);
        double baseRate = positiveWeight / total;
        double baselineLogLoss = ModelEvaluation.ConstantLogLoss(baseRate, holdout);
        var metadata = new TreeModelMetadata
        {
            Version = version,
            TrainedAtTicks = nowTicks,
            SampleCount = n,
            PositiveCount = CountPositives(ordered),
            HoldoutLogLoss = evaluation.LogLoss,
            HoldoutAuc = evaluation.Auc,
            HoldoutSizeRmse = evaluation.SizeRmse,
            Lookahead = lookahead,
            DroppedFeatures = [.. dropped],
        };
        var model = new TreeModel(featureNames, compiledClassifier, provisional.Calibration, compiledSize, metadata);
        return new FastTreeTrainingResult(model, importances, evaluation, baselineLogLoss, holdout.ToArray(), mlContext, schema, classifierPipeline, sizePipeline, leaves)
        {
            Calibration = calibration.ToArray(),
        };
    }

    private static PlattCalibration FitCalibration(CompiledTreeEnsemble classifier, ArraySegment<LabelledSample> slice)
    {
        double[] scores = new double[slice.Count];
        bool[] labels = new bool[slice.Count];
        double[] weights = new double[slice.Count];
        for (int i = 0; i < slice.Count; i++)
        {
            // Scored on the raw features: dropped columns are never split on, so zeroing them changes nothing.
            scores[i] = classifier.Score(slice[i].Features);
            labels[i] = slice[i].Label;
            weights[i] = slice[i].Weight;
        }

        return PlattFitter.Fit(scores, labels, weights);
    }

    /// <summary>
    /// The leaf count handed to FastTree: min(MaximumDepth + 1, MaximumLeaves, max(2, rows / MinimumSamplesToSplit)).
    /// FastTree grows leaf-wise, where L leaves can make a chain L − 1 deep: depth + 1 leaves is the only count that
    /// guarantees the depth.
    /// </summary>
    internal static int LeafCount(MachineLearningOptions options, int rows)
    {
        long byDepth = (long)options.MaximumDepth + 1;
        long byRows = Math.Max(2, rows / options.MinimumSamplesToSplit);
        return (int)Math.Max(2, Math.Min(Math.Min(byDepth, options.MaximumLeaves), byRows));
    }

    internal static SchemaDefinition CreateSchema(int featureCount)
    {
        SchemaDefinition schema = SchemaDefinition.Create(typeof(TrainingRow));
        schema[nameof(TrainingRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featureCount);
        return schema;
    }

    private static double[] Importances(FastTreeBinaryModelParameters model, int featureCount)
    {
        VBuffer<float> weights = default;
        model.GetFeatureWeights(ref weights);
        double[] importances = new double[featureCount];
        double sum = 0d;
        int i = 0;
        foreach (float w in weights.DenseValues())
        {
            if (i >= featureCount)
            {
                break;
            }

            importances[i++] = Math.Max(0d, w);
            sum += Math.Max(0d, w);
        }

        if (sum > 0d)
        {
            for (int j = 0; j < importances.Length; j++)
            {
                importances[j] /= sum;
            }
        }

        return importances;
    }

    private static (double Positive, double Negative) ClassWeights(IEnumerable<LabelledSample> samples)
    {
        double positive = 0d, negative = 0d;
        foreach (LabelledSample s in samples)
        {
            if (s.Label)
            {
                positive += s.Weight;
            }
            else
            {
                negative += s.Weight;
            }
        }

        return (positive, negative);
    }

    private static bool HasBothClasses(IEnumerable<LabelledSample> samples)
    {
        (double positive, double negative) = ClassWeights(samples);
        return positive > 0d && negative > 0d;
    }

    private static int CountPositives(LabelledSample[] samples)
    {
        int count = 0;
        foreach (LabelledSample s in samples)
        {
            count += s.Label ? 1 : 0;
        }

        return count;
    }

    private static List<TrainingRow> ToRows(IEnumerable<LabelledSample> samples, bool[] zeroed, float positiveFactor, float negativeFactor)
    {
        bool anyZeroed = Array.IndexOf(zeroed, true) >= 0;
        var rows = new List<TrainingRow>();
        foreach (LabelledSample s in samples)
        {
            float[] features = s.Features;
            if (anyZeroed)
            {
                features = [.. features];
                for (int i = 0; i < zeroed.Length; i++)
                {
                    if (zeroed[i])
                    {
                        features[i] = 0f;
                    }
                }
            }

            rows.Add(new TrainingRow
            {
                Features = features,
                Label = s.Label,
                Weight = s.Weight * (s.Label ? positiveFactor : negativeFactor),
                SampleWeight = s.Weight,
                LogSize = float.IsNaN(s.LogSize) ? 0f : s.LogSize,
            });
        }

        return rows;
    }
}

/// <summary>A trained model with what produced it: the ML.NET pipelines stay available to tests and benchmarks.</summary>
internal sealed record FastTreeTrainingResult(
    TreeModel Model,
    double[] Importances,
    ModelEvaluation Evaluation,
    double BaselineLogLoss,
    LabelledSample[] Holdout,
    MLContext Context,
    SchemaDefinition InputSchema,
    ITransformer ClassifierPipeline,
    ITransformer? SizePipeline,
    int NumberOfLeaves)
{
    /// <summary>Gets the calibration slice (just before the held-out one), where the operating point is chosen.</summary>
    public LabelledSample[] Calibration { get; init; } = [];
}

/// <summary>The training data cannot make a model (too few samples, a single class).</summary>
internal sealed class TrainingDataException(string message) : Exception(message);
