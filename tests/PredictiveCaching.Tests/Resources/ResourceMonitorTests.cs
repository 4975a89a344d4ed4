using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using PredictiveCaching.Resources;

namespace PredictiveCaching.Tests.Resources;

public sealed class ResourceMonitorTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));
    private readonly FakeLogger _logger = new();

    [Fact]
    public void Current_BeforeFirstSample_IsUnknown()
    {
        ResourceMonitor monitor = CreateSut(new FakeResourceProbe("memory", ResourceKind.Memory, 0.5));

        Assert.Same(ResourceSnapshot.Unknown, monitor.Current);
    }

    [Fact]
    public void SampleNow_SeveralProbesPerKind_PublishesHighestKnownValue()
    {
        ResourceMonitor monitor = CreateSut(
            new FakeResourceProbe("memory", ResourceKind.Memory, 0.3),
            new FakeResourceProbe("memory-2", ResourceKind.Memory, 0.5),
            new FakeResourceProbe("memory-unknown", ResourceKind.Memory, double.NaN),
            new FakeResourceProbe("cpu", ResourceKind.Cpu, 0.7),
            new FakeResourceProbe("queue", ResourceKind.Custom, 0.2),
            new FakeResourceProbe("latency", ResourceKind.Custom, 0.4));

        monitor.SampleNow();

        ResourceSnapshot snapshot = monitor.Current;
        Assert.Equal(0.5, snapshot.Memory);
        Assert.Equal(0.7, snapshot.Cpu);
        Assert.Equal(0.4, snapshot.Custom);
        Assert.True(double.IsNaN(snapshot.DiskRead));
        Assert.True(double.IsNaN(snapshot.NetworkOut));
        Assert.Equal(_time.GetUtcNow().UtcTicks, snapshot.TimestampTicks);
        Assert.Equal(1, monitor.PublishedCount);
    }

    [Fact]
    public void SampleNow_OutOfRangeValues_ClampedOrUnknown()
    {
        ResourceMonitor monitor = CreateSut(
            new FakeResourceProbe("memory", ResourceKind.Memory, 1.7),
            new FakeResourceProbe("cpu", ResourceKind.Cpu, double.PositiveInfinity),
            new FakeResourceProbe("disk", ResourceKind.DiskRead, -0.2));

        monitor.SampleNow();

        Assert.Equal(1d, monitor.Current.Memory);
        Assert.True(double.IsNaN(monitor.Current.Cpu));
        Assert.Equal(0d, monitor.Current.DiskRead);
    }

    [Fact]
    public void SampleNow_ProbeThrows_ValueUnknownNotZero()
    {
        var failing = new FakeResourceProbe("memory", ResourceKind.Memory, 0.9) { Failure = new IOException("boom") };
        ResourceMonitor monitor = CreateSut(failing, new FakeResourceProbe("cpu", ResourceKind.Cpu, 0.1));

        monitor.SampleNow();

        Assert.True(double.IsNaN(monitor.Current.Memory));
        Assert.Equal(0.1, monitor.Current.Cpu);
    }

    [Fact]
    public void SampleNow_ProbeKeepsThrowing_LoggedOnceUntilItRecovers()
    {
        var failing = new FakeResourceProbe("memory", ResourceKind.Memory, 0.9) { Failure = new IOException("boom") };
        ResourceMonitor monitor = CreateSut(failing);

        monitor.SampleNow();
        monitor.SampleNow();
        monitor.SampleNow();

        FakeLogRecord failure = Assert.Single(_logger.Collector.GetSnapshot());
        Assert.Equal(LogLevel.Warning, failure.Level);
        Assert.Equal(1, failure.Id.Id);
        Assert.Contains("memory", failure.Message, StringComparison.Ordinal);
        Assert.IsType<IOException>(failure.Exception);

        failing.Failure = null;
        monitor.SampleNow();
        Assert.Equal(0.9, monitor.Current.Memory);

        failing.Failure = new IOException("again");
        monitor.SampleNow();
        monitor.SampleNow();

        IReadOnlyList<FakeLogRecord> records = _logger.Collector.GetSnapshot();
        Assert.Equal([1, 2, 1], records.Select(r => r.Id.Id));
        Assert.Equal(6, monitor.PublishedCount);
    }

    [Fact]
    public async Task ExecuteAsync_TimeAdvances_PublishesEveryInterval()
    {
        var probe = new FakeResourceProbe("memory", ResourceKind.Memory, 0.1);
        using ResourceMonitor monitor = CreateSut(probe);

        await monitor.StartAsync(CancellationToken.None);
        await PublishedAsync(monitor, 1);
        Assert.Equal(0.1, monitor.Current.Memory);

        probe.Value = 0.2;
        _time.Advance(Interval - TimeSpan.FromSeconds(1));
        Assert.Equal(1, monitor.PublishedCount);
        _time.Advance(TimeSpan.FromSeconds(1));
        await PublishedAsync(monitor, 2);
        Assert.Equal(0.2, monitor.Current.Memory);

        probe.Value = 0.3;
        _time.Advance(Interval);
        await PublishedAsync(monitor, 3);
        Assert.Equal(0.3, monitor.Current.Memory);
        Assert.Equal(_time.GetUtcNow().UtcTicks, monitor.Current.TimestampTicks);

        await monitor.StopAsync(CancellationToken.None);
        Assert.True(monitor.ExecuteTask!.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task ExecuteAsync_ProbeThrowsEveryTime_KeepsSampling()
    {
        var probe = new FakeResourceProbe("memory", ResourceKind.Memory) { Failure = new InvalidOperationException("broken") };
        using ResourceMonitor monitor = CreateSut(probe);

        await monitor.StartAsync(CancellationToken.None);
        await PublishedAsync(monitor, 1);
        _time.Advance(Interval);
        await PublishedAsync(monitor, 2);
        await monitor.StopAsync(CancellationToken.None);

        Assert.True(monitor.ExecuteTask!.IsCompletedSuccessfully);
        Assert.Equal(2, probe.Samples);
        Assert.Single(_logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning);
    }

    // The loop runs on the thread pool: wait for its publication, signalled by the monitor itself (no polling). The
    // time limit only turns a hang into a failure.
    private static async Task PublishedAsync(ResourceMonitor monitor, long count)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        monitor.Published = n =>
        {
            if (n >= count)
            {
                reached.TrySetResult();
            }
        };
        if (monitor.PublishedCount >= count)
        {
            reached.TrySetResult();
        }

        await reached.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(count, monitor.PublishedCount);
    }

    private ResourceMonitor CreateSut(params IResourceProbe[] probes) => new(probes, _time, Interval, _logger);
}
