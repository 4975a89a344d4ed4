namespace PredictiveCaching.Resources;

/// <summary>
/// Disk activity as busy time: the milliseconds whole physical devices spent reading (or writing) between two samples,
/// from <c>/proc/diskstats</c>, over the elapsed milliseconds, summed over devices and clamped to [0, 1].
/// Unknown on the first sample and where <c>/proc/diskstats</c> is not available.
/// </summary>
/// <remarks>
/// Partitions, loop, RAM, device-mapper and software-RAID devices are skipped: their time is already counted on the
/// physical device beneath them. Whole devices are those listed in <c>/sys/block</c> when it is readable, else
/// recognised by name.
/// </remarks>
internal abstract class DiskActivityProbe : IResourceProbe
{
    // Field positions in a /proc/diskstats line: major minor name, then reads, merged, sectors, ms reading (6);
    // writes, merged, sectors, ms writing (10).
    private const int ReadMillisecondsField = 6;
    private const int WriteMillisecondsField = 10;

    private static readonly string[] s_virtualPrefixes = ["loop", "ram", "zram", "dm-", "md", "sr", "fd", "nbd"];

    private readonly TimeProvider _timeProvider;
    private readonly SystemFiles? _files;
    private readonly int _field;
    private long _previousTimestamp;
    private long _previousMilliseconds = -1;

    private protected DiskActivityProbe(TimeProvider timeProvider, string? root, bool write)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        _files = root is null ? null : new SystemFiles(root);
        _field = write ? WriteMillisecondsField : ReadMillisecondsField;
    }

    public abstract string Name { get; }

    public abstract ResourceKind Kind { get; }

    public double Sample()
    {
        long now = _timeProvider.GetTimestamp();
        long milliseconds = _files is null ? -1 : ReadBusyMilliseconds(_files);
        long previous = _previousMilliseconds;
        double elapsed = _timeProvider.GetElapsedTime(_previousTimestamp, now).TotalMilliseconds;
        _previousMilliseconds = milliseconds;
        _previousTimestamp = now;
        if (milliseconds < 0 || previous < 0 || elapsed <= 0d || milliseconds < previous)
        {
            return double.NaN;
        }

        return SystemFiles.Clamp01((milliseconds - previous) / elapsed);
    }

    internal static bool IsWholePhysicalDevice(SystemFiles files, string name)
    {
        foreach (string prefix in s_virtualPrefixes)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal))
            {
                return false;
            }
        }

        if (files.DirectoryExists("sys/block"))
        {
            return files.DirectoryExists("sys/block/" + name.Replace('/', '!'));
        }

        return !LooksLikePartition(name);
    }

    // sda1, vdb2, xvda1, hdc3 are partitions; nvme0n1p1, mmcblk0p2 end in p<digits> after a digit.
    private static bool LooksLikePartition(string name)
    {
        int end = name.Length;
        int digits = end;
        while (digits > 0 && char.IsAsciiDigit(name[digits - 1]))
        {
            digits--;
        }

        if (digits == end || digits == 0)
        {
            return false;
        }

        if (name[digits - 1] == 'p' && digits >= 2 && char.IsAsciiDigit(name[digits - 2]))
        {
            return true;
        }

        return name.StartsWith("sd", StringComparison.Ordinal)
            || name.StartsWith("hd", StringComparison.Ordinal)
            || name.StartsWith("vd", StringComparison.Ordinal)
            || name.StartsWith("xvd", StringComparison.Ordinal);
    }

    private long ReadBusyMilliseconds(SystemFiles files)
    {
        string? text = files.ReadText("proc/diskstats");
        if (text is null)
        {
            return -1;
        }

        long sum = 0;
        foreach (string line in text.Split('\n'))
        {
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length <= WriteMillisecondsField || !IsWholePhysicalDevice(files, fields[2]))
            {
                continue;
            }

            if (SystemFiles.TryParseLong(fields[_field], out long value))
            {
                sum += value;
            }
        }

        return sum;
    }
}

/// <summary>Disk read busy time; see <see cref="DiskActivityProbe"/>.</summary>
internal sealed class DiskReadProbe : DiskActivityProbe
{
    /// <summary>Initializes a new instance of the <see cref="DiskReadProbe"/> class reading the real system.</summary>
    /// <param name="timeProvider">The source of elapsed time.</param>
    public DiskReadProbe(TimeProvider timeProvider)
        : this(timeProvider, OperatingSystem.IsLinux() ? SystemFiles.DefaultRoot : null)
    {
    }

    internal DiskReadProbe(TimeProvider timeProvider, string? root)
        : base(timeProvider, root, write: false)
    {
    }

    public override string Name => "disk-read";

    public override ResourceKind Kind => ResourceKind.DiskRead;
}

/// <summary>Disk write busy time; see <see cref="DiskActivityProbe"/>.</summary>
internal sealed class DiskWriteProbe : DiskActivityProbe
{
    /// <summary>Initializes a new instance of the <see cref="DiskWriteProbe"/> class reading the real system.</summary>
    /// <param name="timeProvider">The source of elapsed time.</param>
    public DiskWriteProbe(TimeProvider timeProvider)
        : this(timeProvider, OperatingSystem.IsLinux() ? SystemFiles.DefaultRoot : null)
    {
    }

    internal DiskWriteProbe(TimeProvider timeProvider, string? root)
        : base(timeProvider, root, write: true)
    {
    }

    public override string Name => "disk-write";

    public override ResourceKind Kind => ResourceKind.DiskWrite;
}
