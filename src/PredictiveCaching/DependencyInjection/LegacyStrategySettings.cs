using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using PredictiveCaching.Strategies;

namespace PredictiveCaching.DependencyInjection;

/// <summary>
/// Reads the strategy settings under the names they had before (<c>ConfidenceThreshold</c>, which was always compared
/// with the predicted probability and is now <c>ProbabilityThreshold</c>), so existing configuration files keep
/// working; the configuration check warns about each one. A new name in the same section wins.
/// </summary>
internal sealed class LegacyStrategySettings(IConfiguration section) : IConfigureOptions<PredictiveLoadingOptions>
{
    public const string ConfidenceThreshold = "ConfidenceThreshold";

    public void Configure(PredictiveLoadingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Apply(nameof(StrategyOptions.Aggressive), options.Strategies.Aggressive);
        Apply(nameof(StrategyOptions.Balanced), options.Strategies.Balanced);
        Apply(nameof(StrategyOptions.Conservative), options.Strategies.Conservative);
    }

    private void Apply(string name, PrefetchStrategyOptions strategy)
    {
        IConfigurationSection settings = section.GetSection(nameof(PredictiveLoadingOptions.Strategies)).GetSection(name);
        if (settings[ConfidenceThreshold] is { } legacy && settings[nameof(PrefetchStrategyOptions.ProbabilityThreshold)] is null)
        {
            // A value that does not parse is left to validation: it keeps the default, and the warning names the key.
            if (double.TryParse(legacy, NumberStyles.Float, CultureInfo.InvariantCulture, out double threshold))
            {
                strategy.ProbabilityThreshold = threshold;
            }
        }
    }
}
