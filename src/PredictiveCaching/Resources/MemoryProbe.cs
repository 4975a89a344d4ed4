namespace PredictiveCaching.Resources;

/// <summary>
/// Memory in use as a share of what the process may use: the cgroup v2 limit when one is set (a container's limit is
/// the 100 %), else the machine's memory from <c>/proc/meminfo</c>, else the GC's view of the machine.
/// </summary>
internal sealed class MemoryProbe : IResourceProbe
{
    private readonly SystemFiles? _files;
    private string[]? _cgroups;

    /// <summary>Initializes a new instance of the <see cref="MemoryProbe"/> class reading the real system.</summary>
    public MemoryProbe()
        : this(OperatingSystem.IsLinux() ? SystemFiles.DefaultRoot : null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MemoryProbe"/> class.</summary>
    /// <param name="root">Where <c>/proc</c> and <c>/sys</c> are found; <see langword="null"/> to use only the runtime's view.</param>
    internal MemoryProbe(string? root) => _files = root is null ? null : new SystemFiles(root);

    public string Name => "memory";

    public ResourceKind Kind => ResourceKind.Memory;

    public double Sample()
    {
        if (_files is not null)
        {
            _cgroups ??= CGroupV2.Hierarchy(_files);
            double value = FromCGroup(_files, _cgroups);
            if (double.IsNaN(value))
            {
                value = FromMemInfo(_files);
            }

            if (!double.IsNaN(value))
            {
                return value;
            }
        }

        return FromRuntime();
    }

    private static double FromCGroup(SystemFiles files, string[] cgroups)
    {
        // The nearest cgroup with a limit governs; its usage covers every process below it.
        foreach (string directory in cgroups)
        {
            string? max = files.ReadFirstLine(directory + "/memory.max");
            if (SystemFiles.TryParseLong(max, out long limit) && limit > 0
                && SystemFiles.TryParseLong(files.ReadFirstLine(directory + "/memory.current"), out long current))
            {
                return SystemFiles.Clamp01((double)current / limit);
            }
        }

        return double.NaN;
    }

    private static double FromMemInfo(SystemFiles files)
    {
        string? text = files.ReadText("proc/meminfo");
        if (text is null)
        {
            return double.NaN;
        }

        long total = -1;
        long available = -1;
        foreach (string line in text.Split('\n'))
        {
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
            {
                total = ParseKilobytes(line);
            }
            else if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
            {
                available = ParseKilobytes(line);
            }
        }

        return total > 0 && available >= 0 ? SystemFiles.Clamp01((double)(total - available) / total) : double.NaN;
    }

    private static long ParseKilobytes(string line)
    {
        string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2 && SystemFiles.TryParseLong(parts[1], out long value) ? value : -1;
    }

    private static double FromRuntime()
    {
        // The GC reports the machine's (or container's) load as of its last collection; before any collection the
        // load is 0, so the process's own committed memory is the better lower bound.
        GCMemoryInfo info = GC.GetGCMemoryInfo();
        if (info.TotalAvailableMemoryBytes <= 0)
        {
            return double.NaN;
        }

        long used = info.MemoryLoadBytes > 0 ? info.MemoryLoadBytes : info.TotalCommittedBytes;
        return SystemFiles.Clamp01((double)used / info.TotalAvailableMemoryBytes);
    }
}
