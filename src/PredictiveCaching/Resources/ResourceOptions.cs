using PredictiveCaching.Validation;

namespace PredictiveCaching.Resources;

/// <summary>How often resources are sampled and where pressure begins for each of them.</summary>
public sealed class ResourceOptions
{
    /// <summary>Gets or sets how often the resource probes are sampled.</summary>
    /// <value>Default 10 seconds.</value>
    [DurationRange("00:00:00.1", "01:00:00")]
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets the memory utilisation above which the strategy moves towards conservative.</summary>
    /// <value>Default 0.8.</value>
    [OptionRange(0d, 1d, MinimumIsExclusive = true)]
    public double MemoryThreshold { get; set; } = 0.8;

    /// <summary>Gets or sets the CPU utilisation above which the strategy moves towards conservative.</summary>
    /// <value>Default 0.7.</value>
    [OptionRange(0d, 1d, MinimumIsExclusive = true)]
    public double CpuThreshold { get; set; } = 0.7;

    /// <summary>Gets or sets the disk I/O utilisation above which the strategy moves towards conservative.</summary>
    /// <value>Default 0.6.</value>
    [OptionRange(0d, 1d, MinimumIsExclusive = true)]
    public double IoThreshold { get; set; } = 0.6;

    /// <summary>Gets or sets the network utilisation above which the strategy moves towards conservative.</summary>
    /// <value>Default 0.5.</value>
    [OptionRange(0d, 1d, MinimumIsExclusive = true)]
    public double NetworkThreshold { get; set; } = 0.5;

    /// <summary>
    /// Gets or sets the capacity, in bytes per second, assumed for a network interface whose link speed cannot be read
    /// (most virtual interfaces, or where <c>/sys/class/net</c> is hidden).
    /// </summary>
    /// <value>Default 125 000 000 (1 Gb/s).</value>
    [OptionRange(1L, long.MaxValue)]
    public long AssumedNetworkBytesPerSecond { get; set; } = 125_000_000;
}
