namespace PredictiveCaching.Resources;

/// <summary>Holds the latest resource snapshot (interim: the sampling service lands with the resource probes).</summary>
public sealed class ResourceMonitor
{
    private ResourceSnapshot _current = ResourceSnapshot.Unknown;

    /// <summary>Gets the latest snapshot.</summary>
    public ResourceSnapshot Current => Volatile.Read(ref _current);

    internal void Publish(ResourceSnapshot snapshot) => Volatile.Write(ref _current, snapshot);

    internal void SampleNow() => Publish(Current);
}
