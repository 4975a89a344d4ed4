using Microsoft.Extensions.Options;

namespace PredictiveCaching.Resources;

/// <summary>
/// Network traffic as a share of link capacity: the bytes each interface (but loopback) received or sent between two
/// samples, from <c>/proc/net/dev</c>, per second, over the link speed in <c>/sys/class/net/&lt;interface&gt;/speed</c>
/// (or <see cref="ResourceOptions.AssumedNetworkBytesPerSecond"/> when the speed is unreadable, as for most virtual
/// interfaces). The busiest interface wins. Unknown on the first sample and where <c>/proc/net/dev</c> is not available.
/// </summary>
/// <remarks>
/// The maximum rather than the sum: traffic through a bridge or a veth pair is counted on several interfaces, and the
/// busiest link is the one that saturates first.
/// </remarks>
internal abstract class NetworkTrafficProbe : IResourceProbe
{
    // After "name:" in /proc/net/dev: receive bytes packets errs drop fifo frame compressed multicast (0..7),
    // then transmit bytes (8) ...
    private const int ReceiveBytesField = 0;
    private const int TransmitBytesField = 8;

    private readonly TimeProvider _timeProvider;
    private readonly SystemFiles? _files;
    private readonly int _field;
    private readonly double _assumedBytesPerSecond;
    private Dictionary<string, long> _previous = new(StringComparer.Ordinal);
    private Dictionary<string, long> _current = new(StringComparer.Ordinal);
    private long _previousTimestamp;
    private bool _hasPrevious;

    private protected NetworkTrafficProbe(TimeProvider timeProvider, string? root, long assumedBytesPerSecond, bool transmit)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(assumedBytesPerSecond);
        _timeProvider = timeProvider;
        _files = root is null ? null : new SystemFiles(root);
        _assumedBytesPerSecond = assumedBytesPerSecond;
        _field = transmit ? TransmitBytesField : ReceiveBytesField;
    }

    public abstract string Name { get; }

    public abstract ResourceKind Kind { get; }

    public double Sample()
    {
        long now = _timeProvider.GetTimestamp();
        if (_files is null || !ReadCounters(_files, _current))
        {
            _hasPrevious = false;
            return double.NaN;
        }

        double elapsedSeconds = _timeProvider.GetElapsedTime(_previousTimestamp, now).TotalSeconds;
        double utilisation = double.NaN;
        if (_hasPrevious && elapsedSeconds > 0d)
        {
            foreach (KeyValuePair<string, long> counter in _current)
            {
                if (!_previous.TryGetValue(counter.Key, out long before) || counter.Value < before)
                {
                    continue;
                }

                double share = (counter.Value - before) / elapsedSeconds / CapacityBytesPerSecond(_files, counter.Key);
                utilisation = double.IsNaN(utilisation) ? share : Math.Max(utilisation, share);
            }
        }

        (_previous, _current) = (_current, _previous);
        _current.Clear();
        _previousTimestamp = now;
        _hasPrevious = true;
        return SystemFiles.Clamp01(utilisation);
    }

    private double CapacityBytesPerSecond(SystemFiles files, string interfaceName)
    {
        // Mb/s; virtual interfaces report -1 or fail the read with EINVAL.
        return SystemFiles.TryParseLong(files.ReadFirstLine("sys/class/net/" + interfaceName + "/speed"), out long megabits) && megabits > 0
            ? megabits * 1_000_000d / 8d
            : _assumedBytesPerSecond;
    }

    private bool ReadCounters(SystemFiles files, Dictionary<string, long> counters)
    {
        string? text = files.ReadText("proc/net/dev");
        if (text is null)
        {
            return false;
        }

        foreach (string line in text.Split('\n'))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }

            string name = line[..colon].Trim();
            if (name.Length == 0 || name == "lo")
            {
                continue;
            }

            string[] fields = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > TransmitBytesField && SystemFiles.TryParseLong(fields[_field], out long bytes))
            {
                counters[name] = bytes;
            }
        }

        return true;
    }
}

/// <summary>Inbound network traffic; see <see cref="NetworkTrafficProbe"/>.</summary>
internal sealed class NetworkInProbe : NetworkTrafficProbe
{
    /// <summary>Initializes a new instance of the <see cref="NetworkInProbe"/> class reading the real system.</summary>
    /// <param name="timeProvider">The source of elapsed time.</param>
    /// <param name="options">Supplies the assumed capacity of interfaces whose speed is unknown.</param>
    public NetworkInProbe(TimeProvider timeProvider, IOptions<PredictiveLoadingOptions> options)
        : this(timeProvider, OperatingSystem.IsLinux() ? SystemFiles.DefaultRoot : null, AssumedCapacity(options))
    {
    }

    internal NetworkInProbe(TimeProvider timeProvider, string? root, long assumedBytesPerSecond)
        : base(timeProvider, root, assumedBytesPerSecond, transmit: false)
    {
    }

    public override string Name => "network-in";

    public override ResourceKind Kind => ResourceKind.NetworkIn;

    internal static long AssumedCapacity(IOptions<PredictiveLoadingOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Value.Resources.AssumedNetworkBytesPerSecond;
    }
}

/// <summary>Outbound network traffic; see <see cref="NetworkTrafficProbe"/>.</summary>
internal sealed class NetworkOutProbe : NetworkTrafficProbe
{
    /// <summary>Initializes a new instance of the <see cref="NetworkOutProbe"/> class reading the real system.</summary>
    /// <param name="timeProvider">The source of elapsed time.</param>
    /// <param name="options">Supplies the assumed capacity of interfaces whose speed is unknown.</param>
    public NetworkOutProbe(TimeProvider timeProvider, IOptions<PredictiveLoadingOptions> options)
        : this(timeProvider, OperatingSystem.IsLinux() ? SystemFiles.DefaultRoot : null, NetworkInProbe.AssumedCapacity(options))
    {
    }

    internal NetworkOutProbe(TimeProvider timeProvider, string? root, long assumedBytesPerSecond)
        : base(timeProvider, root, assumedBytesPerSecond, transmit: true)
    {
    }

    public override string Name => "network-out";

    public override ResourceKind Kind => ResourceKind.NetworkOut;
}
