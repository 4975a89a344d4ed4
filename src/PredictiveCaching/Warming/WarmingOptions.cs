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
}
