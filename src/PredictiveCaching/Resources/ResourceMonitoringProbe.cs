using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.ResourceMonitoring;
using Microsoft.Extensions.Options;

namespace PredictiveCaching.Resources;

/// <summary>
/// CPU or memory utilisation read from the observable instruments of Microsoft.Extensions.Diagnostics.ResourceMonitoring
/// (cgroup v1 and v2 on Linux, job objects and the process on Windows): the container's or control group's limit
/// utilisation where the platform publishes one, else the process's. Unknown where none is published (macOS, or before
/// the host has started and ResourceMonitoring has activated its provider).
/// </summary>
/// <remarks>
/// Only instruments of the meter created through this container's <see cref="IMeterFactory"/> are read, so several
/// hosts in one process (tests, or an application with more than one) each read their own. The values are as fresh as
/// ResourceMonitoring's own refresh intervals (<c>CpuConsumptionRefreshInterval</c>,
/// <c>MemoryConsumptionRefreshInterval</c>, 5 s by default), which the application may configure.
/// </remarks>
internal abstract class ResourceMonitoringProbe : IResourceProbe, IDisposable
{
    /// <summary>The meter ResourceMonitoring publishes on.</summary>
    internal const string MeterName = "Microsoft.Extensions.Diagnostics.ResourceMonitoring";

    internal const string ContainerCpu = "container.cpu.limit.utilization";
    internal const string ProcessCpu = "process.cpu.utilization";
    internal const string ContainerMemory = "container.memory.limit.utilization";
    internal const string ProcessMemory = "dotnet.process.memory.virtual.utilization";

    private readonly MeterListener _listener;
    private readonly object? _scope;
    private readonly string _preferred;
    private readonly string _fallback;
    private readonly double _scale;
    private double _preferredValue = double.NaN;
    private double _fallbackValue = double.NaN;

    private protected ResourceMonitoringProbe(string name, ResourceKind kind, string preferred, string fallback, object? scope, double scale)
    {
        Name = name;
        Kind = kind;
        _preferred = preferred;
        _fallback = fallback;
        _scope = scope;
        _scale = scale;
        _listener = new MeterListener { InstrumentPublished = OnInstrumentPublished };
        _listener.SetMeasurementEventCallback<double>(OnMeasurement);
        _listener.Start();
    }

    public string Name { get; }

    public ResourceKind Kind { get; }

    public double Sample()
    {
        // The monitor samples one probe at a time, and observable callbacks run on this thread inside the call.
        _preferredValue = double.NaN;
        _fallbackValue = double.NaN;
        _listener.RecordObservableInstruments();
        double value = double.IsNaN(_preferredValue) ? _fallbackValue : _preferredValue;
        return double.IsFinite(value) ? Math.Clamp(value * _scale, 0d, 1d) : double.NaN;
    }

    public void Dispose() => _listener.Dispose();

    /// <summary>Where a value published on this platform is multiplied by to be in [0, 1].</summary>
    /// <param name="options">ResourceMonitoring's options, as the application configured them.</param>
    /// <returns>0.01 on Windows unless told to publish in [0, 1]; 1 on Linux, which always publishes in [0, 1].</returns>
    private protected static double ScaleOf(IOptions<ResourceMonitoringOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!OperatingSystem.IsWindows())
        {
            return 1d;
        }

#pragma warning disable EXTEXP0008 // Experimental in 10.0; only read, to interpret the application's choice.
        return options.Value.UseZeroToOneRangeForMetrics ? 1d : 0.01d;
#pragma warning restore EXTEXP0008
    }

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        if (instrument.Meter.Name == MeterName
            && ReferenceEquals(instrument.Meter.Scope, _scope)
            && (instrument.Name == _preferred || instrument.Name == _fallback))
        {
            listener.EnableMeasurementEvents(instrument, instrument.Name == _preferred);
        }
    }

    private void OnMeasurement(Instrument instrument, double measurement, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (state is true)
        {
            _preferredValue = measurement;
        }
        else
        {
            _fallbackValue = measurement;
        }
    }
}

/// <summary>CPU in use as a share of the CPUs the container (or control group, or machine) may use.</summary>
internal sealed class CpuProbe : ResourceMonitoringProbe
{
    /// <summary>Initializes a new instance of the <see cref="CpuProbe"/> class reading this container's ResourceMonitoring meter.</summary>
    /// <param name="meterFactory">The container's meter factory: the scope of the meter read.</param>
    /// <param name="options">ResourceMonitoring's options (whether Windows publishes percentages).</param>
    public CpuProbe(IMeterFactory meterFactory, IOptions<ResourceMonitoringOptions> options)
        : this(meterFactory, ScaleOf(options))
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CpuProbe"/> class.</summary>
    /// <param name="scope">The <see cref="Meter.Scope"/> of the meter read.</param>
    /// <param name="scale">What a published value is multiplied by to be in [0, 1].</param>
    internal CpuProbe(object? scope, double scale)
        : base("cpu", ResourceKind.Cpu, ContainerCpu, ProcessCpu, scope, scale)
    {
    }
}

/// <summary>Memory in use as a share of what the container (or control group, or machine) may use.</summary>
internal sealed class MemoryProbe : ResourceMonitoringProbe
{
    /// <summary>Initializes a new instance of the <see cref="MemoryProbe"/> class reading this container's ResourceMonitoring meter.</summary>
    /// <param name="meterFactory">The container's meter factory: the scope of the meter read.</param>
    /// <param name="options">ResourceMonitoring's options (whether Windows publishes percentages).</param>
    public MemoryProbe(IMeterFactory meterFactory, IOptions<ResourceMonitoringOptions> options)
        : this(meterFactory, ScaleOf(options))
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MemoryProbe"/> class.</summary>
    /// <param name="scope">The <see cref="Meter.Scope"/> of the meter read.</param>
    /// <param name="scale">What a published value is multiplied by to be in [0, 1].</param>
    internal MemoryProbe(object? scope, double scale)
        : base("memory", ResourceKind.Memory, ContainerMemory, ProcessMemory, scope, scale)
    {
    }
}
