using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PredictiveCaching.Diagnostics;

namespace PredictiveCaching.Resources;

/// <summary>
/// Samples every registered <see cref="IResourceProbe"/> in the background every <see cref="ResourceOptions.CheckInterval"/>
/// and publishes the result as a <see cref="ResourceSnapshot"/> that readers take without a lock.
/// </summary>
/// <remarks>
/// Registered by <c>AddPredictiveLoading()</c> as a singleton that also runs as a hosted service; resolve it to read
/// <see cref="Current"/>. Per kind, the snapshot holds the highest value among the probes of that kind that know it;
/// a probe that returns <see cref="double.NaN"/> or throws counts as unknown, never as idle. A failing probe is logged
/// once, and again only after it has recovered and failed anew. Nothing a probe does stops the sampling.
/// </remarks>
internal sealed class ResourceMonitor : BackgroundService
{
    private readonly IResourceProbe[] _probes;
    private readonly bool[] _failing;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _interval;
    private readonly ILogger _logger;
    private readonly Lock _samplingGate = new();
    private ResourceSnapshot _current = ResourceSnapshot.Unknown;
    private long _publishedCount;

    internal ResourceMonitor(IEnumerable<IResourceProbe> probes, TimeProvider timeProvider, TimeSpan interval, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(probes);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        _probes = [.. probes];
        _failing = new bool[_probes.Length];
        _timeProvider = timeProvider;
        _interval = interval;
        _logger = logger;
    }

    /// <summary>
    /// Gets the latest snapshot; <see cref="ResourceSnapshot.Unknown"/> until the first sampling. Lock-free; the instance
    /// never changes once published, so read it once and use that reference for a consistent view.
    /// </summary>
    public ResourceSnapshot Current => Volatile.Read(ref _current);

    /// <summary>Gets how many snapshots have been published.</summary>
    internal long PublishedCount => Interlocked.Read(ref _publishedCount);

    /// <summary>Called with the new count after each snapshot is published, so tests wait for one instead of polling.</summary>
    internal Action<long>? Published { get; set; }

    /// <summary>Samples every probe now and publishes the snapshot. Called at start, on every tick, and by tests.</summary>
    internal void SampleNow()
    {
        // Probes keep state between samples (rates), so one sampling at a time.
        lock (_samplingGate)
        {
            double memory = double.NaN, cpu = double.NaN, diskRead = double.NaN, diskWrite = double.NaN;
            double networkIn = double.NaN, networkOut = double.NaN, custom = double.NaN;
            for (int i = 0; i < _probes.Length; i++)
            {
                double value = SampleProbe(i);
                switch (_probes[i].Kind)
                {
                    case ResourceKind.Memory: memory = MaxKnown(memory, value); break;
                    case ResourceKind.Cpu: cpu = MaxKnown(cpu, value); break;
                    case ResourceKind.DiskRead: diskRead = MaxKnown(diskRead, value); break;
                    case ResourceKind.DiskWrite: diskWrite = MaxKnown(diskWrite, value); break;
                    case ResourceKind.NetworkIn: networkIn = MaxKnown(networkIn, value); break;
                    case ResourceKind.NetworkOut: networkOut = MaxKnown(networkOut, value); break;
                    default: custom = MaxKnown(custom, value); break;
                }
            }

            var snapshot = new ResourceSnapshot(_timeProvider.GetUtcNow().UtcTicks, memory, cpu, diskRead, diskWrite, networkIn, networkOut, custom);
            Volatile.Write(ref _current, snapshot);
            long published = Interlocked.Increment(ref _publishedCount);
            Published?.Invoke(published);
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The timer exists before the first sample so that no tick of the clock is missed while sampling.
        using var timer = new PeriodicTimer(_interval, _timeProvider);
        Log.ResourceMonitorStarted(_logger, _probes.Length, _interval);
        SampleSafely();
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                SampleSafely();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host shutting down.
        }
    }

    private static double MaxKnown(double current, double value) =>
        double.IsNaN(value) ? current : double.IsNaN(current) ? value : Math.Max(current, value);

    private void SampleSafely()
    {
        try
        {
            SampleNow();
        }
#pragma warning disable CA1031 // A background loop must never bring the host down; the failure is logged.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.ResourceSamplingFailed(_logger, ex);
        }
    }

    private double SampleProbe(int index)
    {
        IResourceProbe probe = _probes[index];
        double value;
        try
        {
            value = probe.Sample();
        }
#pragma warning disable CA1031 // A faulty probe is reported as unknown, never allowed to stop sampling.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (!_failing[index])
            {
                _failing[index] = true;
                Log.ResourceProbeFailed(_logger, probe.Name, ex);
            }

            return double.NaN;
        }

        if (_failing[index])
        {
            _failing[index] = false;
            Log.ResourceProbeRecovered(_logger, probe.Name);
        }

        // Out-of-contract values are bounded rather than trusted; infinities mean the probe could not tell.
        return double.IsFinite(value) ? Math.Clamp(value, 0d, 1d) : double.NaN;
    }
}
