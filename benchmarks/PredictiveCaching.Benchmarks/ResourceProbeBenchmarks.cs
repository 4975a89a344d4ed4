using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using PredictiveCaching.Resources;

namespace PredictiveCaching.Benchmarks;

/// <summary>
/// One sampling of the CPU and memory probes, which read ResourceMonitoring's gauges (docs/operations.md, resource
/// gate): <see cref="Fresh"/> when its values are within their refresh interval (it answers from what it read last),
/// <see cref="Refreshed"/> when the clock has moved past it and it reads the cgroup (or job object) again, as it does at
/// the default 10 s check interval.
/// </summary>
[MemoryDiagnoser]
public class ResourceProbeBenchmarks
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));
    private ServiceProvider _provider = null!;
    private IResourceProbe[] _probes = null!;

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddDistributedMemoryCache();
        services.AddPredictiveLoading();
        _provider = services.BuildServiceProvider();

        // ResourceMonitoring creates its provider and gauges when the host starts (auto-activation). Only that service
        // is started: the library's own loops would run on every Advance and be measured too.
        foreach (IHostedService service in _provider.GetServices<IHostedService>().Where(s => s.GetType().Name == "AutoActivationHostedService"))
        {
            service.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        }

        _probes = [.. _provider.GetServices<IResourceProbe>().Where(p => p is ResourceMonitoringProbe)];
    }

    [GlobalCleanup]
    public void Cleanup() => _provider.Dispose();

    [Benchmark(Baseline = true)]
    public double Fresh() => SampleAll();

    [Benchmark]
    public double Refreshed()
    {
        _time.Advance(TimeSpan.FromSeconds(6));
        return SampleAll();
    }

    private double SampleAll()
    {
        double sum = 0;
        foreach (IResourceProbe probe in _probes)
        {
            sum += probe.Sample();
        }

        return sum;
    }
}
