using System.Globalization;
using Microsoft.Extensions.Options;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Validation;

namespace PredictiveCaching.DependencyInjection;

/// <summary>
/// Checks every range declared by an attribute on the options (<see cref="OptionRangeAttribute"/>,
/// <see cref="DurationRangeAttribute"/>), through the <c>[OptionsValidator]</c> source generator: no reflection at start.
/// </summary>
[OptionsValidator]
internal sealed partial class PredictiveLoadingOptionsRanges : IValidateOptions<PredictiveLoadingOptions>
{
}

/// <summary>
/// Validates <see cref="PredictiveLoadingOptions"/> at start, naming each bad option by its configuration path and value:
/// the declared ranges (<see cref="PredictiveLoadingOptionsRanges"/>), then the rules no attribute states (a defined
/// strategy, a non-blank custom name, bounds that depend on another option).
/// </summary>
internal sealed class PredictiveLoadingOptionsValidator : IValidateOptions<PredictiveLoadingOptions>
{
    private const string Root = PredictiveLoadingOptions.SectionName;

    private readonly PredictiveLoadingOptionsRanges _ranges = new();

    public ValidateOptionsResult Validate(string? name, PredictiveLoadingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new Failures();

        // Validated under the section's name, the generated validator names members PredictiveLoading.Tracking.…
        ValidateOptionsResult ranges = _ranges.Validate(Root, options);
        if (ranges.Failed)
        {
            failures.AddRange(ranges.Failures);
        }

        const string strategies = Root + ":Strategies";
        failures.Defined(strategies + ":Initial", options.Strategies.Initial);
        if (options.Strategies.Custom is { } custom && string.IsNullOrWhiteSpace(custom))
        {
            failures.Add(strategies + ":Custom", "must name a registered strategy or be left unset", "'" + custom + "'");
        }

        // Upper bounds set by another option, checked only where both declared ranges held (one message per mistake).
        const string prefetch = Root + ":Prefetch:";
        PrefetchOptions p = options.Prefetch;
        if (p.MaxConcurrencyPerSource is { } perSource && perSource > p.MaxConcurrency
            && !Reported(ranges, prefetch + "MaxConcurrencyPerSource") && !Reported(ranges, prefetch + "MaxConcurrency"))
        {
            failures.Add(prefetch + "MaxConcurrencyPerSource", string.Create(CultureInfo.InvariantCulture, $"must be in [1, {p.MaxConcurrency}]"), perSource);
        }

        if (p.RecentPrecisionWindow > p.PrecisionWindow
            && !Reported(ranges, prefetch + "RecentPrecisionWindow") && !Reported(ranges, prefetch + "PrecisionWindow"))
        {
            failures.Add(prefetch + "RecentPrecisionWindow", string.Create(CultureInfo.InvariantCulture, $"must be in [1, {p.PrecisionWindow}]"), p.RecentPrecisionWindow);
        }

        return failures.ToResult();
    }

    private static bool Reported(ValidateOptionsResult ranges, string path) =>
        ranges.Failures?.Any(f => f.StartsWith(path + " ", StringComparison.Ordinal)) == true;

    private sealed class Failures
    {
        private List<string>? _messages;

        public void Defined<TEnum>(string path, TEnum value)
            where TEnum : struct, Enum
        {
            if (!Enum.IsDefined(value))
            {
                Add(path, "must be one of " + string.Join(", ", Enum.GetNames<TEnum>()), value);
            }
        }

        public void AddRange(IEnumerable<string>? messages)
        {
            if (messages is not null)
            {
                (_messages ??= []).AddRange(messages);
            }
        }

        public ValidateOptionsResult ToResult() =>
            _messages is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(_messages);

        public void Add(string path, string rule, object value) =>
            (_messages ??= []).Add(string.Create(CultureInfo.InvariantCulture, $"{path} {rule}; was {value}"));
    }
}
