using PredictiveCaching.Resources;

namespace PredictiveCaching.Tests.Resources;

public sealed class MemoryProbeTests : IDisposable
{
    private const string MemInfo = "MemTotal:       16000000 kB\nMemFree:         1000000 kB\nMemAvailable:    4000000 kB\nBuffers:          100000 kB\n";

    private readonly FakeSystemRoot _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void Sample_ContainerWithMemoryLimit_UsesLimitAsWhole()
    {
        _root.CGroupV2("/")
            .Write("sys/fs/cgroup/memory.max", "1073741824\n")
            .Write("sys/fs/cgroup/memory.current", "268435456\n")
            .Write("proc/meminfo", MemInfo);

        Assert.Equal(0.25, new MemoryProbe(_root.Path).Sample(), 6);
    }

    [Fact]
    public void Sample_LimitOnAncestorCGroup_UsesNearestLimit()
    {
        _root.CGroupV2("/kubepods/pod1/container")
            .Write("sys/fs/cgroup/kubepods/pod1/container/memory.max", "max\n")
            .Write("sys/fs/cgroup/kubepods/pod1/container/memory.current", "100\n")
            .Write("sys/fs/cgroup/kubepods/pod1/memory.max", "1000\n")
            .Write("sys/fs/cgroup/kubepods/pod1/memory.current", "750\n")
            .Write("proc/meminfo", MemInfo);

        Assert.Equal(0.75, new MemoryProbe(_root.Path).Sample(), 6);
    }

    [Fact]
    public void Sample_CGroupWithoutLimit_UsesMemInfo()
    {
        _root.CGroupV2("/")
            .Write("sys/fs/cgroup/memory.max", "max\n")
            .Write("sys/fs/cgroup/memory.current", "268435456\n")
            .Write("proc/meminfo", MemInfo);

        Assert.Equal(0.75, new MemoryProbe(_root.Path).Sample(), 6);
    }

    [Fact]
    public void Sample_CGroupV1Only_IgnoresCGroupAndUsesMemInfo()
    {
        // Hybrid hosts list "0::/" but have no unified hierarchy at /sys/fs/cgroup.
        _root.Write("proc/self/cgroup", "4:memory:/x\n0::/\n")
            .Write("sys/fs/cgroup/memory.max", "1000\n")
            .Write("sys/fs/cgroup/memory.current", "999\n")
            .Write("proc/meminfo", MemInfo);

        Assert.Equal(0.75, new MemoryProbe(_root.Path).Sample(), 6);
    }

    [Fact]
    public void Sample_NoSystemFiles_FallsBackToRuntime()
    {
        double value = new MemoryProbe(_root.Path).Sample();

        Assert.InRange(value, 0d, 1d);
    }

    [Fact]
    public void Sample_NotLinux_UsesRuntime()
    {
        var probe = new MemoryProbe(root: null);

        Assert.Equal("memory", probe.Name);
        Assert.Equal(ResourceKind.Memory, probe.Kind);
        Assert.InRange(probe.Sample(), 0d, 1d);
    }
}
