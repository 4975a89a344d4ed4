using System.Runtime.CompilerServices;
using PredictiveCaching.Features;

namespace PredictiveCaching.Prediction;

/// <summary>
/// A trained model in compiled form: a tree-ensemble classifier with Platt calibration for P(read within the window),
/// and optionally a tree-ensemble regressor of log(size + 1) for the value size. Scores from flat arrays, without
/// ML.NET and without allocation; the feature schema it was trained on travels with it.
/// </summary>
/// <remarks>
/// As a predictor, the model's probability is combined with the evidence of how the key was proposed
/// (<see cref="PredictionContext.Prior"/>, a successor or sequence rate the features do not carry) as a noisy-OR, the same
/// rule the heuristic uses. The size is the regressor's prediction when there is one, otherwise the key's last size.
/// </remarks>
public sealed class TreeModel : IAccessPredictor
{
    private readonly string[] _featureNames;

    // The classifier's leaves exponentiated for this calibration, so a probability needs no exp (AVX-512 layout only).
    private readonly CompiledTreeEnsemble.ExponentiatedLeaves? _exponentiated;

    /// <summary>Initializes a new instance of the <see cref="TreeModel"/> class.</summary>
    /// <param name="featureNames">The feature schema the model was trained on, in order.</param>
    /// <param name="classifier">The access classifier's ensemble (raw score).</param>
    /// <param name="calibration">The calibration of the classifier's raw score.</param>
    /// <param name="sizeRegressor">The regressor of log(size + 1), or <see langword="null"/>.</param>
    /// <param name="metadata">How the model was trained.</param>
    public TreeModel(IReadOnlyList<string> featureNames, CompiledTreeEnsemble classifier, PlattCalibration calibration, CompiledTreeEnsemble? sizeRegressor, TreeModelMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(metadata);
        if (classifier.FeatureCount != featureNames.Count || (sizeRegressor is not null && sizeRegressor.FeatureCount != featureNames.Count))
        {
            throw new ArgumentException("The ensembles must score vectors of exactly as many features as the schema names.", nameof(featureNames));
        }

        if (!double.IsFinite(calibration.Slope) || !double.IsFinite(calibration.Offset))
        {
            throw new ArgumentException("The calibration must be finite.", nameof(calibration));
        }

        _featureNames = [.. featureNames];
        FeatureNames = Array.AsReadOnly(_featureNames);
        SchemaFingerprint = Features.FeatureSchema.ComputeFingerprint(_featureNames);
        Classifier = classifier;
        Calibration = calibration;
        _exponentiated = classifier.ExponentiateLeaves(calibration);
        SizeRegressor = sizeRegressor;
        Metadata = metadata;
        Kind = "model v" + metadata.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public string Kind { get; }

    /// <inheritdoc />
    public bool UsesFeatures => true;

    /// <summary>Gets the feature names the model was trained on, in vector order.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Gets the fingerprint of <see cref="FeatureNames"/> (see <see cref="Features.FeatureSchema.Fingerprint"/>).</summary>
    public string SchemaFingerprint { get; }

    /// <summary>Gets the access classifier's ensemble.</summary>
    public CompiledTreeEnsemble Classifier { get; }

    /// <summary>Gets the calibration of the classifier's raw score.</summary>
    public PlattCalibration Calibration { get; }

    /// <summary>Gets the regressor of log(size + 1), or <see langword="null"/> when too few sizes were known to train one.</summary>
    public CompiledTreeEnsemble? SizeRegressor { get; }

    /// <summary>Gets how the model was trained.</summary>
    public TreeModelMetadata Metadata { get; }

    /// <summary>Computes the calibrated probability that a key with these features is read within the window. Does not allocate.</summary>
    /// <param name="features">A feature vector in <see cref="FeatureNames"/> order.</param>
    /// <returns>The probability, in [0, 1].</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double PredictProbability(ReadOnlySpan<float> features) =>
        _exponentiated is { } leaves ? Classifier.Probability(features, leaves) : Calibration.Probability(Classifier.Score(features));

    /// <summary>Computes the calibrated probabilities of a batch of feature vectors stored row after row. Does not allocate.</summary>
    /// <param name="rows">The rows, each <see cref="FeatureNames"/>.Count values, concatenated.</param>
    /// <param name="destination">One probability per row.</param>
    public void PredictProbabilities(ReadOnlySpan<float> rows, Span<double> destination)
    {
        if (_exponentiated is { } leaves)
        {
            Classifier.Probabilities(rows, destination, leaves);
            return;
        }

        Classifier.ScoreBatch(rows, destination);
        PlattCalibration calibration = Calibration;
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = calibration.Probability(destination[i]);
        }
    }

    /// <summary>Predicts the size of the value of a key with these features, in bytes; -1 without a size model.</summary>
    /// <param name="features">A feature vector in <see cref="FeatureNames"/> order.</param>
    /// <returns>The predicted size, or -1.</returns>
    public long PredictSize(ReadOnlySpan<float> features)
    {
        if (SizeRegressor is null)
        {
            return -1;
        }

        double log = SizeRegressor.Score(features);
        return (long)Math.Max(0d, Math.Round(Math.Exp(Math.Min(log, 40d)) - 1d));
    }

    /// <inheritdoc />
    public AccessPrediction Predict(in PredictionContext context, ReadOnlySpan<float> features)
    {
        double model = PredictProbability(features);
        double prior = Math.Clamp(context.Prior, 0d, 1d);
        double probability = 1d - ((1d - model) * (1d - prior));

        long size = PredictSize(features);
        if (size < 0)
        {
            size = context.Statistics?.LastSize ?? -1;
        }

        if (size < 0)
        {
            size = Math.Max(0, context.SizeHint);
        }

        return new AccessPrediction(probability, size);
    }
}
