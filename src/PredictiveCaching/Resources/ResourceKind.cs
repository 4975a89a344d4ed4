namespace PredictiveCaching.Resources;

/// <summary>The resource a probe measures; decides which threshold and which feature its value feeds.</summary>
public enum ResourceKind
{
    /// <summary>Memory in use as a share of what the process or its container may use.</summary>
    Memory,

    /// <summary>CPU in use as a share of the CPUs the process or its container may use.</summary>
    Cpu,

    /// <summary>Disk read activity as a share of the device's capacity (busy time).</summary>
    DiskRead,

    /// <summary>Disk write activity as a share of the device's capacity (busy time).</summary>
    DiskWrite,

    /// <summary>Inbound network traffic as a share of the link's speed.</summary>
    NetworkIn,

    /// <summary>Outbound network traffic as a share of the link's speed.</summary>
    NetworkOut,

    /// <summary>An application-defined resource (queue depth, origin latency…); gates prefetching against the strategy's resource limit.</summary>
    Custom,
}
