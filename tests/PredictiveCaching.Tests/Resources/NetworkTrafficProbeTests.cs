using System.Globalization;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using PredictiveCaching.Resources;

namespace PredictiveCaching.Tests.Resources;

public sealed class NetworkTrafficProbeTests : IDisposable
{
    private const long AssumedBytesPerSecond = 10_000_000;

    private readonly FakeSystemRoot _root = new();
    private readonly FakeTimeProvider _time = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void Sample_FirstSample_ReturnsNaN()
    {
        WriteNetDev(("eth0", 0, 0));

        Assert.True(double.IsNaN(new NetworkInProbe(_time, _root.Path, AssumedBytesPerSecond).Sample()));
    }

    [Fact]
    public void Sample_Inbound_BusiestInterfaceOverLinkSpeed()
    {
        _root.Write("sys/class/net/eth0/speed", "1000\n");
        WriteNetDev(("lo", 0, 0), ("eth0", 1_000, 0), ("eth1", 0, 0));
        var probe = new NetworkInProbe(_time, _root.Path, AssumedBytesPerSecond);
        probe.Sample();

        // eth0: 62.5 MB in 1 s on 1 Gb/s (125 MB/s) = 0.5; eth1: 2 MB on the assumed 10 MB/s = 0.2; lo is ignored.
        WriteNetDev(("lo", 999_000_000_000, 0), ("eth0", 62_501_000, 0), ("eth1", 2_000_000, 0));
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(0.5, probe.Sample(), 6);
    }

    [Fact]
    public void Sample_Outbound_UsesTransmitBytesAndAssumedCapacityWhenSpeedUnknown()
    {
        _root.Write("sys/class/net/eth0/speed", "-1\n");
        WriteNetDev(("eth0", 0, 0));
        var probe = new NetworkOutProbe(_time, _root.Path, AssumedBytesPerSecond);
        probe.Sample();

        WriteNetDev(("eth0", 999_000_000, 30_000_000));
        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(0.3, probe.Sample(), 6);
        Assert.Equal(ResourceKind.NetworkOut, probe.Kind);
    }

    [Fact]
    public void Sample_CounterWentBack_IgnoresThatInterface()
    {
        WriteNetDev(("eth0", 5_000_000, 0), ("eth1", 0, 0));
        var probe = new NetworkInProbe(_time, _root.Path, AssumedBytesPerSecond);
        probe.Sample();

        WriteNetDev(("eth0", 0, 0), ("eth1", 1_000_000, 0));
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(0.1, probe.Sample(), 6);
    }

    [Fact]
    public void Sample_NoNetDev_ReturnsNaN()
    {
        var probe = new NetworkInProbe(_time, _root.Path, AssumedBytesPerSecond);
        probe.Sample();
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.True(double.IsNaN(probe.Sample()));
    }

    private void WriteNetDev(params (string Name, long ReceivedBytes, long SentBytes)[] interfaces)
    {
        var text = new StringBuilder();
        text.Append("Inter-|   Receive                                                |  Transmit\n");
        text.Append(" face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n");
        foreach ((string name, long received, long sent) in interfaces)
        {
            text.Append(CultureInfo.InvariantCulture, $"{name,6}: {received} 10 0 0 0 0 0 0 {sent} 10 0 0 0 0 0 0\n");
        }

        _root.Write("proc/net/dev", text.ToString());
    }
}
