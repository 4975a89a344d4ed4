using PredictiveCaching.Validation;

namespace PredictiveCaching.MachineLearning;

/// <summary>
/// Options of learned prediction (<c>AddMachineLearning()</c>): how training data is cut from the access history, the
/// FastTree hyper-parameters, and when models are retrained. Validated at start.
/// </summary>
public sealed class MachineLearningOptions
{
    /// <summary>The configuration path of these options, used in validation messages.</summary>
    public const string SectionName = "PredictiveLoading:MachineLearning";

    /// <summary>Gets or sets the number of boosted trees per model.</summary>
    /// <value>Default 100.</value>
    [OptionRange(1, 10_000)]
    public int NumberOfTrees { get; set; } = 100;

    /// <summary>
    /// Gets or sets the maximum depth of a tree. FastTree grows trees leaf-wise and has no depth option, and a leaf-wise
    /// tree of L leaves can be L − 1 deep, so the depth is enforced through the leaf count: at most
    /// <c>MaximumDepth + 1</c> leaves (see <see cref="MaximumLeaves"/>).
    /// </summary>
    /// <value>Default 10 (11 leaves).</value>
    [OptionRange(1, 1000)]
    public int MaximumDepth { get; set; } = 10;

    /// <summary>
    /// Gets or sets the most leaves per tree. The leaf count FastTree is given is
    /// <c>min(MaximumDepth + 1, MaximumLeaves, max(2, trainingRows / MinimumSamplesToSplit))</c>; this cap matters only
    /// when <see cref="MaximumDepth"/> is raised above it.
    /// </summary>
    /// <value>Default 64.</value>
    [OptionRange(2, 131_072)]
    public int MaximumLeaves { get; set; } = 64;

    /// <summary>Gets or sets the fewest training examples in a leaf (FastTree's <c>MinimumExampleCountPerLeaf</c>).</summary>
    /// <value>Default 2.</value>
    [OptionRange(1, 100_000)]
    public int MinimumExampleCountPerLeaf { get; set; } = 2;

    /// <summary>
    /// Gets or sets the fewest samples a node needs to be split. FastTree has no such knob: a split already needs
    /// 2 × <see cref="MinimumExampleCountPerLeaf"/> examples; this one bounds the leaf count by training rows / this value.
    /// </summary>
    /// <value>Default 5.</value>
    [OptionRange(2, 1_000_000)]
    public int MinimumSamplesToSplit { get; set; } = 5;

    /// <summary>Gets or sets the boosting learning rate.</summary>
    /// <value>Default 0.2.</value>
    [OptionRange(0d, 1d, MinimumIsExclusive = true)]
    public double LearningRate { get; set; } = 0.2;

    /// <summary>Gets or sets the normalised importance (share of the total gain) below which a feature is left out of the next training.</summary>
    /// <value>Default 0.05.</value>
    [OptionRange(0d, 1d, MaximumIsExclusive = true)]
    public double FeatureImportanceThreshold { get; set; } = 0.05;

    /// <summary>Gets or sets how many labelled samples must exist before the first training.</summary>
    /// <value>Default 1000.</value>
    [OptionRange(10, 10_000_000)]
    public int MinSamplesForTraining { get; set; } = 1000;

    /// <summary>Gets or sets how often a model is retrained.</summary>
    /// <value>Default 1 hour.</value>
    [DurationRange("00:00:01", "7.00:00:00")]
    public TimeSpan RetrainingInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets the shortest time between two trainings, also when accuracy drops or a training failed.</summary>
    /// <value>Default 5 minutes; at most <see cref="RetrainingInterval"/>.</value>
    [DurationRange("00:00:00", "7.00:00:00")]
    public TimeSpan MinimumRetrainingGap { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Gets or sets the drop of measured prefetch precision (below its value when the model was swapped in) that
    /// triggers a retraining before <see cref="RetrainingInterval"/>.
    /// </summary>
    /// <value>Default 0.15.</value>
    [OptionRange(0d, 1d, MinimumIsExclusive = true)]
    public double AccuracyDropThreshold { get; set; } = 0.15;

    /// <summary>Gets or sets how often samples are cut from the tracked keys and due samples labelled.</summary>
    /// <value>Default 30 seconds.</value>
    [DurationRange("00:00:00.1", "01:00:00")]
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets a value indicating whether samples are cut from a uniform random subset of the tracked keys every
    /// <see cref="SampleInterval"/> (the earlier scheme) instead of at the loop's decisions. Off by default: every
    /// candidate the prefetch cycle scores (expiry decisions, co-access triggers, rhythm, successor and sequence
    /// candidates) becomes a sample with the features it was scored on, which is the question a model answers there.
    /// </summary>
    /// <value><see langword="false"/>.</value>
    public bool SampleTrackedKeys { get; set; }

    /// <summary>Gets or sets the most keys sampled at one sample time (a uniform random subset of the tracked keys, weighted back up).</summary>
    /// <value>Default 1000.</value>
    [OptionRange(1, 1_000_000)]
    public int MaxSamplesPerTick { get; set; } = 1000;

    /// <summary>Gets or sets the most samples waiting for their window to pass; new samples are skipped while it is full.</summary>
    /// <value>Default 50000.</value>
    [OptionRange(1, 10_000_000)]
    public int MaxPendingSamples { get; set; } = 50_000;

    /// <summary>Gets or sets the most labelled samples kept (the newest); older ones are overwritten.</summary>
    /// <value>Default 100000.</value>
    [OptionRange(10, 10_000_000)]
    public int MaxTrainingSamples { get; set; } = 100_000;

    /// <summary>
    /// Gets or sets the share of negative samples of the tracked keys kept (<see cref="SampleTrackedKeys"/>); a kept one
    /// weighs 1 / rate, so the data keeps its true base rate. Decision samples keep every negative.
    /// </summary>
    /// <value>Default 0.25.</value>
    [OptionRange(0d, 1d, MinimumIsExclusive = true)]
    public double NegativeSamplingRate { get; set; } = 0.25;

    /// <summary>Gets or sets the newest share of samples held out to compare a new model with the current one.</summary>
    /// <value>Default 0.2.</value>
    [OptionRange(0.05, 0.5)]
    public double HoldoutFraction { get; set; } = 0.2;

    /// <summary>Gets or sets the share of samples (just before the held-out slice) used to fit the Platt calibration.</summary>
    /// <value>Default 0.1.</value>
    [OptionRange(0.05, 0.4)]
    public double CalibrationFraction { get; set; } = 0.1;

    /// <summary>Gets or sets the fewest positive samples with a known size needed to train a size model.</summary>
    /// <value>Default 50.</value>
    [OptionRange(2, 10_000_000)]
    public int MinSizeSamples { get; set; } = 50;

    /// <summary>
    /// Gets or sets a file to load a model from at start (so a restarted service predicts from its first cycle) and to save
    /// every accepted model to; <see langword="null"/> keeps models in memory only.
    /// </summary>
    /// <value><see langword="null"/>.</value>
    public string? ModelPath { get; set; }

    /// <summary>Gets or sets the random seed for sampling and training, so a replay is repeatable.</summary>
    /// <value>42.</value>
    public int Seed { get; set; } = 42;
}
