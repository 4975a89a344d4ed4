namespace PredictiveCaching.Resources;

/// <summary>
/// CPU in use as a share of the CPUs the process may use, measured as a rate between two samples: the cgroup v2
/// usage over wall time × allowed CPUs (the <c>cpu.max</c> quota, else all processors), else the machine's busy share
/// from <c>/proc/stat</c>, else the process's own CPU time. The first sample is unknown.
/// </summary>
internal sealed class CpuProbe : IResourceProbe
{
    private readonly TimeProvider _timeProvider;
    private readonly SystemFiles? _files;
    private string[]? _cgroups;
    private Source _previousSource;
    private long _previousTimestamp;
    private double _previousUsage;
    private double _previousTotal;

    /// <summary>Initializes a new instance of the <see cref="CpuProbe"/> class reading the real system.</summary>
    /// <param name="timeProvider">The source of elapsed time.</param>
    public CpuProbe(TimeProvider timeProvider)
        : this(timeProvider, OperatingSystem.IsLinux() ? SystemFiles.DefaultRoot : null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CpuProbe"/> class.</summary>
    /// <param name="timeProvider">The source of elapsed time.</param>
    /// <param name="root">Where <c>/proc</c> and <c>/sys</c> are found; <see langword="null"/> to use only the process's CPU time.</param>
    internal CpuProbe(TimeProvider timeProvider, string? root)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        _files = root is null ? null : new SystemFiles(root);
    }

    private enum Source
    {
        None,
        CGroup,
        ProcStat,
        Process,
    }

    public string Name => "cpu";

    public ResourceKind Kind => ResourceKind.Cpu;

    public double Sample()
    {
        long now = _timeProvider.GetTimestamp();
        if (_files is not null)
        {
            _cgroups ??= CGroupV2.Hierarchy(_files);
            if (TryReadCGroup(_files, _cgroups, out long usageMicroseconds, out double allowedCpus))
            {
                return TimeRate(Source.CGroup, now, usageMicroseconds * 10d, allowedCpus);
            }

            if (TryReadProcStat(_files, out double busy, out double total))
            {
                return JiffyRate(now, busy, total);
            }
        }

        return TimeRate(Source.Process, now, Environment.CpuUsage.TotalTime.Ticks, Environment.ProcessorCount);
    }

    // usageTicks: CPU time consumed, in TimeSpan ticks.
    private double TimeRate(Source source, long now, double usageTicks, double allowedCpus)
    {
        bool known = _previousSource == source;
        double elapsedTicks = _timeProvider.GetElapsedTime(_previousTimestamp, now).Ticks;
        double used = usageTicks - _previousUsage;
        Remember(source, now, usageTicks, 0d);
        if (!known || elapsedTicks <= 0d || used < 0d)
        {
            return double.NaN;
        }

        return SystemFiles.Clamp01(used / (elapsedTicks * allowedCpus));
    }

    private double JiffyRate(long now, double busy, double total)
    {
        bool known = _previousSource == Source.ProcStat;
        double busyDelta = busy - _previousUsage;
        double totalDelta = total - _previousTotal;
        Remember(Source.ProcStat, now, busy, total);
        if (!known || totalDelta <= 0d || busyDelta < 0d)
        {
            return double.NaN;
        }

        return SystemFiles.Clamp01(busyDelta / totalDelta);
    }

    private void Remember(Source source, long timestamp, double usage, double total)
    {
        _previousSource = source;
        _previousTimestamp = timestamp;
        _previousUsage = usage;
        _previousTotal = total;
    }

    private static bool TryReadCGroup(SystemFiles files, string[] cgroups, out long usageMicroseconds, out double allowedCpus)
    {
        usageMicroseconds = 0;
        allowedCpus = Environment.ProcessorCount;
        if (cgroups.Length == 0 || !TryReadUsage(files.ReadText(cgroups[0] + "/cpu.stat"), out usageMicroseconds))
        {
            return false;
        }

        // The tightest quota on the way up governs.
        foreach (string directory in cgroups)
        {
            string? max = files.ReadFirstLine(directory + "/cpu.max");
            string[] parts = max?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
            if (parts.Length == 2
                && SystemFiles.TryParseLong(parts[0], out long quota)
                && SystemFiles.TryParseLong(parts[1], out long period)
                && quota > 0 && period > 0)
            {
                allowedCpus = Math.Min(allowedCpus, (double)quota / period);
            }
        }

        return true;
    }

    private static bool TryReadUsage(string? cpuStat, out long usageMicroseconds)
    {
        usageMicroseconds = 0;
        if (cpuStat is null)
        {
            return false;
        }

        foreach (string line in cpuStat.Split('\n'))
        {
            if (line.StartsWith("usage_usec ", StringComparison.Ordinal))
            {
                return SystemFiles.TryParseLong(line[11..].Trim(), out usageMicroseconds);
            }
        }

        return false;
    }

    private static bool TryReadProcStat(SystemFiles files, out double busy, out double total)
    {
        busy = 0;
        total = 0;
        string? line = files.ReadFirstLine("proc/stat");
        if (line is null || !line.StartsWith("cpu ", StringComparison.Ordinal))
        {
            return false;
        }

        // user nice system idle iowait irq softirq steal [guest guest_nice]; guest time is already inside user/nice.
        string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 5)
        {
            return false;
        }

        int count = Math.Min(fields.Length - 1, 8);
        double idle = 0;
        for (int i = 1; i <= count; i++)
        {
            if (!SystemFiles.TryParseLong(fields[i], out long value))
            {
                return false;
            }

            total += value;
            if (i is 4 or 5)
            {
                idle += value;
            }
        }

        busy = total - idle;
        return total > 0;
    }
}
