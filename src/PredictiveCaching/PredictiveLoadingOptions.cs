using Microsoft.Extensions.Options;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Resources;
using PredictiveCaching.Strategies;
using PredictiveCaching.Tracking;
using PredictiveCaching.Warming;

namespace PredictiveCaching;

/// <summary>
/// Options of the predictive loading; bound from the <c>PredictiveLoading</c> configuration section and validated at start.
/// </summary>
/// <remarks>
/// The valid range of each option is declared once, by an attribute on the property, and listed in the configuration
/// reference (<c>docs/configuration.md</c>), which a test checks against those attributes.
/// </remarks>
public sealed class PredictiveLoadingOptions
{
    /// <summary>The name of the configuration section these options bind to.</summary>
    public const string SectionName = "PredictiveLoading";

    /// <summary>Gets the strategy in force and the numbers of each built-in strategy.</summary>
    [ValidateObjectMembers]
    public StrategyOptions Strategies { get; } = new();

    /// <summary>Gets the bounds of the per-key access tracking.</summary>
    [ValidateObjectMembers]
    public TrackingOptions Tracking { get; } = new();

    /// <summary>Gets the resource sampling interval and pressure thresholds.</summary>
    [ValidateObjectMembers]
    public ResourceOptions Resources { get; } = new();

    /// <summary>Gets the prefetch cycle and origin-load bounds.</summary>
    [ValidateObjectMembers]
    public PrefetchOptions Prefetch { get; } = new();

    /// <summary>Gets the periodic warming settings.</summary>
    [ValidateObjectMembers]
    public WarmingOptions Warming { get; } = new();
}
