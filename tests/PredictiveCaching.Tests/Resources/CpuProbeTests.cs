using Microsoft.Extensions.Time.Testing;
using PredictiveCaching.Resources;

namespace PredictiveCaching.Tests.Resources;

public sealed class CpuProbeTests : IDisposable
{
    private readonly FakeSystemRoot _root = new();
    private readonly FakeTimeProvider _time = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void Sample_FirstSample_ReturnsNaN()
    {
        _root.CGroupV2("/").Write("sys/fs/cgroup/cpu.stat", "usage_usec 1000000\nuser_usec 1\n");

        Assert.True(double.IsNaN(new CpuProbe(_time, _root.Path).Sample()));
    }

    [Fact]
    public void Sample_ContainerWithCpuQuota_RateOverAllowedCpus()
    {
        _root.CGroupV2("/")
            .Write("sys/fs/cgroup/cpu.stat", "usage_usec 1000000\nuser_usec 800000\nsystem_usec 200000\n")
            .Write("sys/fs/cgroup/cpu.max", "200000 100000\n")
            .Write("proc/stat", "cpu  100 0 100 800 0 0 0 0 0 0\n");
        var probe = new CpuProbe(_time, _root.Path);
        probe.Sample();

        // 10 s of CPU time in 10 s of wall time, with two CPUs allowed.
        _root.Write("sys/fs/cgroup/cpu.stat", "usage_usec 11000000\nuser_usec 1\nsystem_usec 1\n");
        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(0.5, probe.Sample(), 6);
    }

    [Fact]
    public void Sample_CGroupWithoutQuota_RateOverProcessorCount()
    {
        _root.CGroupV2("/app.slice")
            .Write("sys/fs/cgroup/app.slice/cpu.stat", "usage_usec 0\n")
            .Write("sys/fs/cgroup/app.slice/cpu.max", "max 100000\n");
        var probe = new CpuProbe(_time, _root.Path);
        probe.Sample();

        _root.Write("sys/fs/cgroup/app.slice/cpu.stat", "usage_usec 5000000\n");
        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(0.5 / Environment.ProcessorCount, probe.Sample(), 6);
    }

    [Fact]
    public void Sample_NoCGroup_BusyShareFromProcStat()
    {
        _root.Write("proc/stat", "cpu  100 0 100 800 0 0 0 0 0 0\ncpu0 1 2 3 4 5 6 7 8 9 10\n");
        var probe = new CpuProbe(_time, _root.Path);
        Assert.True(double.IsNaN(probe.Sample()));

        // total 1000 -> 2000, idle+iowait 800 -> 1600: 200 busy jiffies out of 1000.
        _root.Write("proc/stat", "cpu  200 0 200 1400 200 0 0 0 0 0\n");
        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(0.2, probe.Sample(), 6);
    }

    [Fact]
    public void Sample_NoSystemFiles_ProcessCpuTimeRate()
    {
        var probe = new CpuProbe(_time, _root.Path);
        Assert.True(double.IsNaN(probe.Sample()));

        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.InRange(probe.Sample(), 0d, 1d);
    }

    [Fact]
    public void Sample_NoElapsedTime_ReturnsNaN()
    {
        _root.CGroupV2("/").Write("sys/fs/cgroup/cpu.stat", "usage_usec 1000000\n");
        var probe = new CpuProbe(_time, _root.Path);
        probe.Sample();

        Assert.True(double.IsNaN(probe.Sample()));
    }
}
