using System.Globalization;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using PredictiveCaching.Resources;

namespace PredictiveCaching.Tests.Resources;

public sealed class DiskActivityProbeTests : IDisposable
{
    private readonly FakeSystemRoot _root = new();
    private readonly FakeTimeProvider _time = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void Sample_FirstSample_ReturnsNaN()
    {
        WriteDiskStats(("sda", 100, 100));

        Assert.True(double.IsNaN(new DiskReadProbe(_time, _root.Path).Sample()));
    }

    [Fact]
    public void Sample_ReadBusyTime_SumsWholeDevicesOverElapsed()
    {
        WriteDiskStats(("sda", 1000, 5000), ("sda1", 1000, 5000), ("nvme0n1", 2000, 0), ("nvme0n1p2", 2000, 0), ("loop0", 0, 0), ("dm-0", 0, 0), ("ram0", 0, 0));
        var probe = new DiskReadProbe(_time, _root.Path);
        probe.Sample();

        // 300 ms + 200 ms of reading on the two disks in 1 s; partitions and virtual devices would add 10 s.
        WriteDiskStats(("sda", 1300, 9000), ("sda1", 4000, 9000), ("nvme0n1", 2200, 0), ("nvme0n1p2", 4000, 0), ("loop0", 9000, 0), ("dm-0", 9000, 0), ("ram0", 9000, 0));
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(0.5, probe.Sample(), 6);
    }

    [Fact]
    public void Sample_WriteBusyTime_UsesWriteMilliseconds()
    {
        WriteDiskStats(("vda", 0, 1000), ("vda1", 0, 1000));
        var probe = new DiskWriteProbe(_time, _root.Path);
        probe.Sample();

        WriteDiskStats(("vda", 5000, 2500), ("vda1", 5000, 2500));
        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(0.15, probe.Sample(), 6);
        Assert.Equal(ResourceKind.DiskWrite, probe.Kind);
    }

    [Fact]
    public void Sample_SysBlockReadable_CountsOnlyListedDevices()
    {
        _root.Folder("sys/block/xyz0");
        WriteDiskStats(("xyz0", 0, 0), ("xyz0part", 0, 0));
        var probe = new DiskReadProbe(_time, _root.Path);
        probe.Sample();

        WriteDiskStats(("xyz0", 100, 0), ("xyz0part", 900, 0));
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(0.1, probe.Sample(), 6);
    }

    [Fact]
    public void Sample_BusierThanWallTime_ClampedToOne()
    {
        WriteDiskStats(("sda", 0, 0), ("sdb", 0, 0));
        var probe = new DiskReadProbe(_time, _root.Path);
        probe.Sample();

        WriteDiskStats(("sda", 900, 0), ("sdb", 900, 0));
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(1d, probe.Sample());
    }

    [Fact]
    public void Sample_NoDiskStats_ReturnsNaN()
    {
        var probe = new DiskReadProbe(_time, _root.Path);
        probe.Sample();
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.True(double.IsNaN(probe.Sample()));
    }

    [Fact]
    public void Sample_NotLinux_ReturnsNaN()
    {
        var probe = new DiskWriteProbe(_time, root: null);
        probe.Sample();
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.True(double.IsNaN(probe.Sample()));
    }

    private void WriteDiskStats(params (string Name, long ReadMs, long WriteMs)[] devices)
    {
        var text = new StringBuilder();
        foreach ((string name, long readMs, long writeMs) in devices)
        {
            text.Append(CultureInfo.InvariantCulture, $"   8       0 {name} 100 0 800 {readMs} 50 0 400 {writeMs} 0 {readMs + writeMs} {readMs + writeMs} 0 0 0 0 0 0\n");
        }

        _root.Write("proc/diskstats", text.ToString());
    }
}
