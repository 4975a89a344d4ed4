using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using PredictiveCaching.Resources;

namespace PredictiveCaching.Tests.Resources;

/// <summary>
/// The CPU and memory probes against a meter named like ResourceMonitoring's, with gauges the test controls: which
/// instrument is read, in which scope, how values are scaled, and that a failure or a missing value is unknown.
/// </summary>
public sealed class ResourceMonitoringProbeTests : IDisposable
{
    private readonly object _scope = new();
    private readonly Meter _meter;

    public ResourceMonitoringProbeTests() => _meter = CreateMeter(_scope);

    [Fact]
    public void Sample_ContainerAndProcessGauges_ReadsTheContainerLimitUtilization()
    {
        _meter.CreateObservableGauge(ResourceMonitoringProbe.ContainerCpu, () => 0.25);
        _meter.CreateObservableGauge(ResourceMonitoringProbe.ProcessCpu, () => 0.75);
        using var probe = new CpuProbe(_scope, 1d);

        Assert.Equal(0.25, probe.Sample());
        Assert.Equal(ResourceKind.Cpu, probe.Kind);
        Assert.Equal("cpu", probe.Name);
    }

    [Fact]
    public void Sample_OnlyProcessGauge_ReadsTheProcessUtilization()
    {
        // Windows outside a job object publishes no container.* instruments.
        using var probe = new MemoryProbe(_scope, 1d);
        _meter.CreateObservableGauge(ResourceMonitoringProbe.ProcessMemory, () => 0.4);

        Assert.Equal(0.4, probe.Sample());
        Assert.Equal(ResourceKind.Memory, probe.Kind);
    }

    [Fact]
    public void Sample_ContainerGaugeMeasuresNothing_FallsBackToTheProcessGauge()
    {
        // ResourceMonitoring reports no measurement while its files are unreadable (it retries every 5 minutes).
        _meter.CreateObservableGauge(ResourceMonitoringProbe.ContainerMemory, () => Array.Empty<Measurement<double>>());
        _meter.CreateObservableGauge(ResourceMonitoringProbe.ProcessMemory, () => 0.3);
        using var probe = new MemoryProbe(_scope, 1d);

        Assert.Equal(0.3, probe.Sample());
    }

    [Fact]
    public void Sample_NoInstrument_Unknown()
    {
        using var probe = new CpuProbe(_scope, 1d);

        Assert.True(double.IsNaN(probe.Sample()));
    }

    [Fact]
    public void Sample_GaugeOfAnotherContainer_Ignored()
    {
        using Meter other = CreateMeter(new object());
        other.CreateObservableGauge(ResourceMonitoringProbe.ContainerCpu, () => 0.9);
        using var probe = new CpuProbe(_scope, 1d);

        Assert.True(double.IsNaN(probe.Sample()));
    }

    [Fact]
    public void Sample_NaNFirstThenValue_UnknownThenTheValue()
    {
        // Its CPU rate is NaN until two readings of the counters differ.
        double value = double.NaN;
        _meter.CreateObservableGauge(ResourceMonitoringProbe.ContainerCpu, () => value);
        using var probe = new CpuProbe(_scope, 1d);

        Assert.True(double.IsNaN(probe.Sample()));
        value = 0.5;
        Assert.Equal(0.5, probe.Sample());
        value = double.NaN;
        Assert.True(double.IsNaN(probe.Sample()));
    }

    [Theory]
    [InlineData(57d, 0.01, 0.57)]
    [InlineData(100d, 0.01, 1d)]
    [InlineData(1.2, 1d, 1d)]
    [InlineData(-0.1, 1d, 0d)]
    public void Sample_ScaledAndBounded(double published, double scale, double expected)
    {
        _meter.CreateObservableGauge(ResourceMonitoringProbe.ContainerCpu, () => published);
        using var probe = new CpuProbe(_scope, scale);

        Assert.Equal(expected, probe.Sample(), 12);
    }

    [Fact]
    public void Monitor_GaugeThrows_CpuUnknownSamplingGoesOnAndRecovers()
    {
        Exception? failure = new IOException("cgroup file vanished");
        _meter.CreateObservableGauge(ResourceMonitoringProbe.ContainerCpu, () => failure is null ? 0.2 : throw failure);
        using var probe = new CpuProbe(_scope, 1d);
        var logger = new FakeLogger();
        using var monitor = new ResourceMonitor([probe, new FakeResourceProbe("memory", ResourceKind.Memory, 0.6)], new FakeTimeProvider(), TimeSpan.FromSeconds(10), logger);

        monitor.SampleNow();
        Assert.True(double.IsNaN(monitor.Current.Cpu));
        Assert.Equal(0.6, monitor.Current.Memory);

        failure = null;
        monitor.SampleNow();
        Assert.Equal(0.2, monitor.Current.Cpu);
        Assert.Equal([1, 2], logger.Collector.GetSnapshot().Select(r => r.Id.Id));
    }

    public void Dispose() => _meter.Dispose();

    private static Meter CreateMeter(object scope) =>
        new(new MeterOptions(ResourceMonitoringProbe.MeterName) { Scope = scope });
}
