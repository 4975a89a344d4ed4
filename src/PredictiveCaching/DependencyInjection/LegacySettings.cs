using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
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

    /// <summary>The prefetch settings' old names and their new ones.</summary>
    public static readonly (string Old, string New)[] PrefetchRenames =
    [
        ("AccuracyWindow", nameof(Prefetching.PrefetchOptions.PrecisionWindow)),
        ("ConfidenceAccuracyWindow", nameof(Prefetching.PrefetchOptions.RecentPrecisionWindow)),
        ("InitialAccuracy", nameof(Prefetching.PrefetchOptions.InitialPrecision)),
    ];

    public void Configure(PredictiveLoadingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Apply(nameof(StrategyOptions.Aggressive), options.Strategies.Aggressive);
        Apply(nameof(StrategyOptions.Balanced), options.Strategies.Balanced);
        Apply(nameof(StrategyOptions.Conservative), options.Strategies.Conservative);

        IConfigurationSection prefetch = section.GetSection(nameof(PredictiveLoadingOptions.Prefetch));
        if (Legacy(prefetch, "AccuracyWindow", nameof(Prefetching.PrefetchOptions.PrecisionWindow)) is { } window
            && int.TryParse(window, NumberStyles.Integer, CultureInfo.InvariantCulture, out int precisionWindow))
        {
            options.Prefetch.PrecisionWindow = precisionWindow;
        }

        if (Legacy(prefetch, "ConfidenceAccuracyWindow", nameof(Prefetching.PrefetchOptions.RecentPrecisionWindow)) is { } recent
            && int.TryParse(recent, NumberStyles.Integer, CultureInfo.InvariantCulture, out int recentWindow))
        {
            options.Prefetch.RecentPrecisionWindow = recentWindow;
        }

        if (Legacy(prefetch, "InitialAccuracy", nameof(Prefetching.PrefetchOptions.InitialPrecision)) is { } initial
            && double.TryParse(initial, NumberStyles.Float, CultureInfo.InvariantCulture, out double initialPrecision))
        {
            options.Prefetch.InitialPrecision = initialPrecision;
        }
    }

    private static string? Legacy(IConfigurationSection settings, string oldName, string newName) =>
        settings[newName] is null ? settings[oldName] : null;

    private void Apply(string name, PrefetchStrategyOptions strategy)
    {
        IConfigurationSection settings = section.GetSection(nameof(PredictiveLoadingOptions.Strategies)).GetSection(name);
        if (Legacy(settings, ConfidenceThreshold, nameof(PrefetchStrategyOptions.ProbabilityThreshold)) is { } legacy)
        {
            // A value that does not parse is left to validation: it keeps the default, and the warning names the key.
            if (double.TryParse(legacy, NumberStyles.Float, CultureInfo.InvariantCulture, out double threshold))
            {
                strategy.ProbabilityThreshold = threshold;
            }
        }
    }
}
