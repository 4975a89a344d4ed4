using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.ResourceMonitoring;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PredictiveCaching.Resources;

namespace PredictiveCaching.Tests.Resources;

public sealed class BuiltInProbesTests
{
    [Fact]
    public void Sample_RealSystem_InUnitRangeOrUnknown()
    {
        IOptions<PredictiveLoadingOptions> options = Options.Create(new PredictiveLoadingOptions());
        IResourceProbe[] probes =
        [
            new DiskReadProbe(TimeProvider.System),
            new DiskWriteProbe(TimeProvider.System),
            new NetworkInProbe(TimeProvider.System, options),
            new NetworkOutProbe(TimeProvider.System, options),
        ];

        foreach (IResourceProbe probe in probes)
        {
            for (int i = 0; i < 2; i++)
            {
                double value = probe.Sample();
                Assert.True(double.IsNaN(value) || value is >= 0d and <= 1d, probe.Name + " returned " + value);
            }
        }
    }

    [Fact]
    public async Task StartedHost_CpuAndMemoryFromResourceMonitoring_InUnitRange()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsWindows())
        {
            return; // ResourceMonitoring supports Linux and Windows only; elsewhere CPU and memory are unknown.
        }

        using IHost host = BuildHost(services => services.AddPredictiveLoading());
        await host.StartAsync();
        ResourceMonitor monitor = host.Services.GetRequiredService<ResourceMonitor>();

        monitor.SampleNow();

        // Added by the library, ResourceMonitoring comes without the obsolete IResourceMonitor and its 1 s sampling loop.
        Assert.DoesNotContain(host.Services.GetServices<IHostedService>(), s => s.GetType().Name == "ResourceMonitorService");
#pragma warning disable EXTOBS0001
        Assert.Null(host.Services.GetService<IResourceMonitor>());
#pragma warning restore EXTOBS0001
        Assert.InRange(monitor.Current.Memory, double.Epsilon, 1d);
        Assert.True(double.IsNaN(monitor.Current.Cpu) || monitor.Current.Cpu is >= 0d and <= 1d, "cpu " + monitor.Current.Cpu);
        await host.StopAsync();
    }

    [Fact]
    public async Task StartedHost_ApplicationAddsResourceMonitoringFirst_EachInstrumentPublishedOnce()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsWindows())
        {
            return;
        }

        using IHost host = BuildHost(services =>
        {
            services.AddResourceMonitoring();
            services.AddPredictiveLoading();
            services.AddPredictiveLoading();
        });
        IMeterFactory factory = host.Services.GetRequiredService<IMeterFactory>();
        var published = new List<string>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == ResourceMonitoringProbe.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    lock (published)
                    {
                        published.Add(instrument.Name);
                    }
                }
            },
        };
        listener.Start();

        await host.StartAsync();

        Assert.Contains(ResourceMonitoringProbe.ContainerMemory, published);
        Assert.True(published.Distinct().Count() == published.Count, string.Join(", ", published));
        Assert.Single(host.Services.GetServices<IHostedService>(), s => s.GetType().Name == "ResourceMonitorService");
#pragma warning disable EXTOBS0001
        Assert.NotNull(host.Services.GetService<IResourceMonitor>());
#pragma warning restore EXTOBS0001
        Assert.Equal(["memory", "cpu"], host.Services.GetServices<IResourceProbe>().Where(p => p is ResourceMonitoringProbe).Select(p => p.Name));
        await host.StopAsync();
    }

    [Fact]
    public void AddResourceMonitoring_AfterAddPredictiveLoading_BringsBackItsSampler()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsWindows())
        {
            return;
        }

        using IHost host = BuildHost(services =>
        {
            services.AddPredictiveLoading();
            services.AddResourceMonitoring();
        });

        Assert.Single(host.Services.GetServices<IHostedService>(), s => s.GetType().Name == "ResourceMonitorService");
#pragma warning disable EXTOBS0001
        Assert.NotNull(host.Services.GetService<IResourceMonitor>());
#pragma warning restore EXTOBS0001
    }

    private static IHost BuildHost(Action<IServiceCollection> configure) =>
        new HostBuilder()
            .ConfigureServices(services =>
            {
                services.AddDistributedMemoryCache();
                configure(services);
            })
            .Build();
}
