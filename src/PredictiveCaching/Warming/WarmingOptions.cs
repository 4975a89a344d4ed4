using PredictiveCaching.Priorities;

namespace PredictiveCaching.Warming;

/// <summary>Periodic warming of the keys most likely to be read, weighted by priority.</summary>
public sealed class WarmingOptions
{
    /// <summary>Gets or sets a value indicating whether warming runs at start and then periodically.</summary>
    /// <value>Default <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets the time between warming rounds.</summary>
    /// <value>Default 300 seconds; from 1 second to 1 day.</value>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>Gets or sets how many keys one warming batch loads.</summary>
    /// <value>Default 100; from 1 to 100 000.</value>
    public int BatchSize { get; set; } = 100;

    /// <summary>Gets or sets the weight of <see cref="PriorityLevel.Critical"/> keys.</summary>
    /// <value>Default 1.0; in [0, 1].</value>
    public double CriticalPriority { get; set; } = 1.0;

    /// <summary>Gets or sets the weight of <see cref="PriorityLevel.High"/> keys.</summary>
    /// <value>Default 0.8; in [0, 1].</value>
    public double HighPriority { get; set; } = 0.8;

    /// <summary>Gets or sets the weight of <see cref="PriorityLevel.Normal"/> keys (every key no rule names).</summary>
    /// <value>Default 0.5; in [0, 1].</value>
    public double NormalPriority { get; set; } = 0.5;

    /// <summary>Gets or sets the weight of <see cref="PriorityLevel.Low"/> keys.</summary>
    /// <value>Default 0.2; in [0, 1].</value>
    public double LowPriority { get; set; } = 0.2;
}
