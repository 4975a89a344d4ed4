using System.Globalization;
using Microsoft.Extensions.Options;

namespace PredictiveCaching.MachineLearning.DependencyInjection;

/// <summary>Checks every <see cref="MachineLearningOptions"/> value at start, naming the option path and the bad value.</summary>
internal sealed class MachineLearningOptionsValidator : IValidateOptions<MachineLearningOptions>
{
    public ValidateOptionsResult Validate(string? name, MachineLearningOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        Range(failures, nameof(options.NumberOfTrees), options.NumberOfTrees, 1, 10_000);
        Range(failures, nameof(options.MaximumDepth), options.MaximumDepth, 1, 1000);
        Range(failures, nameof(options.MaximumLeaves), options.MaximumLeaves, 2, 131_072);
        Range(failures, nameof(options.MinimumExampleCountPerLeaf), options.MinimumExampleCountPerLeaf, 1, 100_000);
        Range(failures, nameof(options.MinimumSamplesToSplit), options.MinimumSamplesToSplit, 2, 1_000_000);
        Range(failures, nameof(options.MinSamplesForTraining), options.MinSamplesForTraining, 10, 10_000_000);
        Range(failures, nameof(options.MaxSamplesPerTick), options.MaxSamplesPerTick, 1, 1_000_000);
        Range(failures, nameof(options.MaxPendingSamples), options.MaxPendingSamples, 1, 10_000_000);
        Range(failures, nameof(options.MaxTrainingSamples), options.MaxTrainingSamples, 10, 10_000_000);
        Range(failures, nameof(options.MinSizeSamples), options.MinSizeSamples, 2, 10_000_000);
        OpenLow(failures, nameof(options.LearningRate), options.LearningRate, 0d, 1d);
        OpenLow(failures, nameof(options.NegativeSamplingRate), options.NegativeSamplingRate, 0d, 1d);
        OpenLow(failures, nameof(options.AccuracyDropThreshold), options.AccuracyDropThreshold, 0d, 1d);
        Closed(failures, nameof(options.HoldoutFraction), options.HoldoutFraction, 0.05, 0.5);
        Closed(failures, nameof(options.CalibrationFraction), options.CalibrationFraction, 0.05, 0.4);
        if (!(options.FeatureImportanceThreshold >= 0d && options.FeatureImportanceThreshold < 1d))
        {
            failures.Add(Message(nameof(options.FeatureImportanceThreshold), "must be in [0, 1)", options.FeatureImportanceThreshold));
        }

        Time(failures, nameof(options.RetrainingInterval), options.RetrainingInterval, TimeSpan.FromSeconds(1), TimeSpan.FromDays(7));
        Time(failures, nameof(options.SampleInterval), options.SampleInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1));
        Time(failures, nameof(options.MinimumRetrainingGap), options.MinimumRetrainingGap, TimeSpan.Zero, options.RetrainingInterval);
        if (options.ModelPath is { } path && string.IsNullOrWhiteSpace(path))
        {
            failures.Add(SectionName("ModelPath") + " must be null or a file path; was " + (path.Length == 0 ? "empty." : "whitespace."));
        }

        if (options.MinSamplesForTraining > options.MaxTrainingSamples)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{SectionName("MinSamplesForTraining")} ({options.MinSamplesForTraining}) must not exceed {SectionName("MaxTrainingSamples")} ({options.MaxTrainingSamples})."));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string SectionName(string option) => MachineLearningOptions.SectionName + ":" + option;

    private static string Message(string option, string rule, object value) =>
        string.Create(CultureInfo.InvariantCulture, $"{SectionName(option)} {rule}; was {value}");

    private static void Range(List<string> failures, string option, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            failures.Add(Message(option, string.Create(CultureInfo.InvariantCulture, $"must be in [{min}, {max}]"), value));
        }
    }

    private static void OpenLow(List<string> failures, string option, double value, double min, double max)
    {
        if (!(value > min && value <= max))
        {
            failures.Add(Message(option, string.Create(CultureInfo.InvariantCulture, $"must be in ({min}, {max}]"), value));
        }
    }

    private static void Closed(List<string> failures, string option, double value, double min, double max)
    {
        if (!(value >= min && value <= max))
        {
            failures.Add(Message(option, string.Create(CultureInfo.InvariantCulture, $"must be in [{min}, {max}]"), value));
        }
    }

    private static void Time(List<string> failures, string option, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            failures.Add(Message(option, string.Create(CultureInfo.InvariantCulture, $"must be in [{min}, {max}]"), value));
        }
    }
}
