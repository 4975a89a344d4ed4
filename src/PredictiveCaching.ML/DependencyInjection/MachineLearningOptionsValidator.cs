using System.Globalization;
using Microsoft.Extensions.Options;
using PredictiveCaching.Validation;

namespace PredictiveCaching.MachineLearning.DependencyInjection;

/// <summary>
/// Checks every range declared by an attribute on <see cref="MachineLearningOptions"/> (<see cref="OptionRangeAttribute"/>,
/// <see cref="DurationRangeAttribute"/>, the core's, compiled into this package), through the <c>[OptionsValidator]</c>
/// source generator: no reflection at start.
/// </summary>
[OptionsValidator]
internal sealed partial class MachineLearningOptionsRanges : IValidateOptions<MachineLearningOptions>
{
}

/// <summary>
/// Checks every <see cref="MachineLearningOptions"/> value at start, naming the option path and the bad value: the
/// declared ranges (<see cref="MachineLearningOptionsRanges"/>), then the rules no attribute states (a bound set by
/// another option, a blank model path).
/// </summary>
internal sealed class MachineLearningOptionsValidator : IValidateOptions<MachineLearningOptions>
{
    private readonly MachineLearningOptionsRanges _ranges = new();

    public ValidateOptionsResult Validate(string? name, MachineLearningOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        // Validated under the section's path, the generated validator names members PredictiveLoading:MachineLearning.…
        ValidateOptionsResult ranges = _ranges.Validate(MachineLearningOptions.SectionName, options);
        if (ranges.Failed && ranges.Failures is { } declared)
        {
            failures.AddRange(declared);
        }

        // A bound set by another option, checked only where both declared ranges held (one message per mistake).
        if (options.MinimumRetrainingGap > options.RetrainingInterval
            && !Reported(ranges, nameof(options.MinimumRetrainingGap)) && !Reported(ranges, nameof(options.RetrainingInterval)))
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{SectionName(nameof(options.MinimumRetrainingGap))} must be in [{TimeSpan.Zero}, {options.RetrainingInterval}]; was {options.MinimumRetrainingGap}"));
        }

        if (options.ModelPath is { } path && string.IsNullOrWhiteSpace(path))
        {
            failures.Add(SectionName(nameof(options.ModelPath)) + " must be null or a file path; was " + (path.Length == 0 ? "empty." : "whitespace."));
        }

        if (options.MinSamplesForTraining > options.MaxTrainingSamples)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{SectionName(nameof(options.MinSamplesForTraining))} ({options.MinSamplesForTraining}) must not exceed {SectionName(nameof(options.MaxTrainingSamples))} ({options.MaxTrainingSamples})."));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string SectionName(string option) => MachineLearningOptions.SectionName + ":" + option;

    private static bool Reported(ValidateOptionsResult ranges, string option) =>
        ranges.Failures?.Any(f => f.StartsWith(SectionName(option) + " ", StringComparison.Ordinal)) == true;
}
