using Microsoft.Extensions.Options;
using PredictiveCaching.Validation;

namespace PredictiveCaching.Strategies;

/// <summary>The strategy in force, whether it adapts, and the numbers of each built-in strategy.</summary>
public sealed class StrategyOptions
{
    /// <summary>Gets or sets the strategy to start with (and to keep, when <see cref="Adaptive"/> is off).</summary>
    /// <value>Default <see cref="PrefetchStrategyKind.Balanced"/>.</value>
    public PrefetchStrategyKind Initial { get; set; } = PrefetchStrategyKind.Balanced;

    /// <summary>Gets or sets a value indicating whether the strategy moves with resource pressure and measured precision.</summary>
    /// <value>Default <see langword="true"/>; <see langword="false"/> pins <see cref="Initial"/>.</value>
    public bool Adaptive { get; set; } = true;

    /// <summary>
    /// Gets or sets the name of a strategy registered with <c>AddStrategy</c> to use instead of the built-ins; it pins
    /// the strategy (no adaptation).
    /// </summary>
    /// <value>Default <see langword="null"/> (use <see cref="Initial"/>).</value>
    public string? Custom { get; set; }

    /// <summary>Gets or sets how often the adaptive selection reconsiders the strategy.</summary>
    /// <value>Default 60 seconds.</value>
    [DurationRange("00:00:01", "1.00:00:00")]
    public TimeSpan UpdateInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets the numbers of the aggressive strategy (0.5, 600 s, 100 MiB, 0.8).</summary>
    [ValidateObjectMembers]
    public PrefetchStrategyOptions Aggressive { get; } = PrefetchStrategyOptions.AggressiveDefaults();

    /// <summary>Gets the numbers of the balanced strategy (0.7, 300 s, 50 MiB, 0.6).</summary>
    [ValidateObjectMembers]
    public PrefetchStrategyOptions Balanced { get; } = PrefetchStrategyOptions.BalancedDefaults();

    /// <summary>Gets the numbers of the conservative strategy (0.9, 120 s, 20 MiB, 0.4).</summary>
    [ValidateObjectMembers]
    public PrefetchStrategyOptions Conservative { get; } = PrefetchStrategyOptions.ConservativeDefaults();

    /// <summary>Returns the numbers of a built-in strategy.</summary>
    /// <param name="kind">The strategy.</param>
    /// <returns>Its options.</returns>
    public PrefetchStrategyOptions For(PrefetchStrategyKind kind) => kind switch
    {
        PrefetchStrategyKind.Aggressive => Aggressive,
        PrefetchStrategyKind.Conservative => Conservative,
        _ => Balanced,
    };
}
