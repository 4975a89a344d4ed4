using PredictiveCaching.Validation;
using PredictiveCaching.Priorities;

namespace PredictiveCaching.Warming;

/// <summary>Periodic warming of the keys most likely to be read, weighted by priority.</summary>
public sealed class WarmingOptions
{
    /// <summary>Gets or sets a value indicating whether warming runs at start and then periodically.</summary>
    /// <value>Default <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets the time between warming rounds.</summary>
    /// <value>Default 300 seconds.</value>
    [DurationRange("00:00:01", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>Gets or sets how many keys one warming batch loads.</summary>
    /// <value>Default 100.</value>
    [OptionRange(1, 100_000)]
    public int BatchSize { get; set; } = 100;

    /// <summary>Gets or sets the weight of <see cref="PriorityLevel.Critical"/> keys.</summary>
    /// <value>Default 1.0.</value>
    [OptionRange(0d, 1d)]
    public double CriticalPriority { get; set; } = 1.0;

    /// <summary>Gets or sets the weight of <see cref="PriorityLevel.High"/> keys.</summary>
    /// <value>Default 0.8.</value>
    [OptionRange(0d, 1d)]
    public double HighPriority { get; set; } = 0.8;

    /// <summary>Gets or sets the weight of <see cref="PriorityLevel.Normal"/> keys (every key no rule names).</summary>
    /// <value>Default 0.5.</value>
    [OptionRange(0d, 1d)]
    public double NormalPriority { get; set; } = 0.5;

    /// <summary>Gets or sets the weight of <see cref="PriorityLevel.Low"/> keys.</summary>
    /// <value>Default 0.2.</value>
    [OptionRange(0d, 1d)]
    public double LowPriority { get; set; } = 0.2;
}
