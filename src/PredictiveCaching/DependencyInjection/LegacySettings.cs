using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Strategies;

namespace PredictiveCaching.DependencyInjection;

/// <summary>
/// Reads settings under the names they had before, so existing configuration files keep working; the configuration
/// check warns about each one, and a new name in the same section wins. <c>ConfidenceThreshold</c> was always compared
/// with the predicted probability (now <c>ProbabilityThreshold</c>); the prefetch "accuracy" settings always measured
/// precision (now <c>PrecisionWindow</c>, <c>RecentPrecisionWindow</c>, <c>InitialPrecision</c>).
/// </summary>
internal sealed class LegacySettings(IConfiguration section) : IConfigureOptions<PredictiveLoadingOptions>
{
    public const string ConfidenceThreshold = "ConfidenceThreshold";

    /// <summary>The prefetch settings' old names, their new ones, and how an old value is applied.</summary>
    public static readonly (string Old, string New, Action<PrefetchOptions, string> Apply)[] PrefetchRenames =
    [
        ("AccuracyWindow", nameof(PrefetchOptions.PrecisionWindow), static (o, v) => SetInt(v, n => o.PrecisionWindow = n)),
        ("ConfidenceAccuracyWindow", nameof(PrefetchOptions.RecentPrecisionWindow), static (o, v) => SetInt(v, n => o.RecentPrecisionWindow = n)),
        ("InitialAccuracy", nameof(PrefetchOptions.InitialPrecision), static (o, v) => SetDouble(v, d => o.InitialPrecision = d)),
    ];

    public void Configure(PredictiveLoadingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Apply(nameof(StrategyOptions.Aggressive), options.Strategies.Aggressive);
        Apply(nameof(StrategyOptions.Balanced), options.Strategies.Balanced);
        Apply(nameof(StrategyOptions.Conservative), options.Strategies.Conservative);

        IConfigurationSection prefetch = section.GetSection(nameof(PredictiveLoadingOptions.Prefetch));
        foreach ((string oldName, string newName, Action<PrefetchOptions, string> apply) in PrefetchRenames)
        {
            if (Legacy(prefetch, oldName, newName) is { } value)
            {
                apply(options.Prefetch, value);
            }
        }
    }

    // A value that does not parse is ignored (the option keeps its value); the deprecation warning still names the key.
    private static void SetInt(string value, Action<int> set)
    {
        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int parsed))
        {
            set(parsed);
        }
    }

    private static void SetDouble(string value, Action<double> set)
    {
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed))
        {
            set(parsed);
        }
    }

    private static string? Legacy(IConfigurationSection settings, string oldName, string newName) =>
        settings[newName] is null ? settings[oldName] : null;

    private void Apply(string name, PrefetchStrategyOptions strategy)
    {
        IConfigurationSection settings = section.GetSection(nameof(PredictiveLoadingOptions.Strategies)).GetSection(name);
        if (Legacy(settings, ConfidenceThreshold, nameof(PrefetchStrategyOptions.ProbabilityThreshold)) is { } legacy)
        {
            SetDouble(legacy, threshold => strategy.ProbabilityThreshold = threshold);
        }
    }
}
