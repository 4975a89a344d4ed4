using System.Text.Json.Serialization;

namespace PredictiveCaching.Resources;

/// <summary>
/// The utilisation of each resource at one sampling, each in [0, 1] or <see cref="double.NaN"/> when unknown.
/// Immutable: the sampler publishes a new instance each time, and readers take the latest without a lock.
/// </summary>
// Unknown utilisations are NaN: written to JSON as "NaN" rather than failing the serializer (a status endpoint).
[JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)]
public sealed class ResourceSnapshot
{
    /// <summary>Initializes a new instance of the <see cref="ResourceSnapshot"/> class.</summary>
    /// <param name="timestampTicks">When it was sampled, in UTC ticks.</param>
    /// <param name="memory">Memory utilisation.</param>
    /// <param name="cpu">CPU utilisation.</param>
    /// <param name="diskRead">Disk read utilisation.</param>
    /// <param name="diskWrite">Disk write utilisation.</param>
    /// <param name="networkIn">Inbound network utilisation.</param>
    /// <param name="networkOut">Outbound network utilisation.</param>
    /// <param name="custom">The highest utilisation among application-defined probes.</param>
    public ResourceSnapshot(long timestampTicks, double memory, double cpu, double diskRead, double diskWrite, double networkIn, double networkOut, double custom)
    {
        TimestampTicks = timestampTicks;
        Memory = memory;
        Cpu = cpu;
        DiskRead = diskRead;
        DiskWrite = diskWrite;
        NetworkIn = networkIn;
        NetworkOut = networkOut;
        Custom = custom;
    }

    /// <summary>Gets a snapshot in which every resource is unknown; in force until the first sampling.</summary>
    public static ResourceSnapshot Unknown { get; } = new(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);

    /// <summary>Gets when the snapshot was sampled, in UTC ticks; 0 for <see cref="Unknown"/>.</summary>
    [JsonIgnore]
    public long TimestampTicks { get; }

    /// <summary>Gets when the snapshot was sampled; <see langword="null"/> for <see cref="Unknown"/> (never sampled).</summary>
    public DateTimeOffset? SampledAt => TimestampTicks > 0 ? new DateTimeOffset(TimestampTicks, TimeSpan.Zero) : null;

    /// <summary>Gets the memory utilisation.</summary>
    public double Memory { get; }

    /// <summary>Gets the CPU utilisation.</summary>
    public double Cpu { get; }

    /// <summary>Gets the disk read utilisation.</summary>
    public double DiskRead { get; }

    /// <summary>Gets the disk write utilisation.</summary>
    public double DiskWrite { get; }

    /// <summary>Gets the inbound network utilisation.</summary>
    public double NetworkIn { get; }

    /// <summary>Gets the outbound network utilisation.</summary>
    public double NetworkOut { get; }

    /// <summary>Gets the highest utilisation among application-defined probes.</summary>
    public double Custom { get; }

    /// <summary>Gets the disk utilisation: the higher of read and write, ignoring an unknown one.</summary>
    public double Io => MaxKnown(DiskRead, DiskWrite);

    /// <summary>Gets the network utilisation: the higher of in and out, ignoring an unknown one.</summary>
    public double Network => MaxKnown(NetworkIn, NetworkOut);

    /// <summary>Returns the utilisation of one resource.</summary>
    /// <param name="kind">The resource.</param>
    /// <returns>Its utilisation, or <see cref="double.NaN"/> when unknown.</returns>
    public double Get(ResourceKind kind) => kind switch
    {
        ResourceKind.Memory => Memory,
        ResourceKind.Cpu => Cpu,
        ResourceKind.DiskRead => DiskRead,
        ResourceKind.DiskWrite => DiskWrite,
        ResourceKind.NetworkIn => NetworkIn,
        ResourceKind.NetworkOut => NetworkOut,
        _ => Custom,
    };

    private static double MaxKnown(double a, double b) =>
        double.IsNaN(a) ? b : double.IsNaN(b) ? a : Math.Max(a, b);
}
