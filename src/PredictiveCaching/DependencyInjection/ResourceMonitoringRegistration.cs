using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.ResourceMonitoring;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PredictiveCaching.Resources;

namespace PredictiveCaching.DependencyInjection;

/// <summary>Registers the built-in resource probes and the <see cref="ResourceMonitor"/> that samples them.</summary>
internal static class ResourceMonitoringRegistration
{
    public static IServiceCollection AddResourceSampling(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);

        // CPU and memory come from Microsoft.Extensions.Diagnostics.ResourceMonitoring, added here unless the application
        // added it first (then its options and provider are shared). Added twice, it activates every copy of its
        // network metrics and publishes system.network.connections once per call, so it is added at most once from here;
        // an application that adds it after AddPredictiveLoading() gets that duplicate (ResourceMonitoring's own
        // behaviour when added twice). It supports only Linux and Windows: elsewhere it registers a hosted service with no
        // provider to resolve, which fails the host at start, so it is not added there and CPU and memory are unknown.
        if ((OperatingSystem.IsLinux() || OperatingSystem.IsWindows()) && !HasResourceMonitoring(services))
        {
            List<ServiceDescriptor> before = [.. services];
            services.AddResourceMonitoring();
            RemoveObsoleteSampler(services, before);
        }

        services.TryAddEnumerable(
        [
            ServiceDescriptor.Singleton<IResourceProbe, MemoryProbe>(),
            ServiceDescriptor.Singleton<IResourceProbe, CpuProbe>(),
            ServiceDescriptor.Singleton<IResourceProbe, DiskReadProbe>(),
            ServiceDescriptor.Singleton<IResourceProbe, DiskWriteProbe>(),
            ServiceDescriptor.Singleton<IResourceProbe, NetworkInProbe>(),
            ServiceDescriptor.Singleton<IResourceProbe, NetworkOutProbe>(),
        ]);
        services.TryAddSingleton(CreateMonitor);

        // The same instance runs in the background and answers ResourceMonitor.Current.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ResourceMonitor>(sp => sp.GetRequiredService<ResourceMonitor>()));
        return services;
    }

#pragma warning disable EXTOBS0001 // IResourceMonitor only marks that AddResourceMonitoring() ran, and is removed below.
    private static bool HasResourceMonitoring(IServiceCollection services) =>
        services.Any(d => d.ServiceType == typeof(IResourceMonitor));

    // The probes read ResourceMonitoring's observable gauges. What AddResourceMonitoring() also registers for its
    // obsolete IResourceMonitor API is a background service that takes a snapshot every second whether or not anyone
    // asks (measured at about 4.5 ms of CPU a second on an idle host, against 0.2 ms without it): when the library is
    // the one adding ResourceMonitoring, that service and IResourceMonitor are taken out again, so IResourceMonitor
    // is not resolvable rather than silently stale. An application that calls AddResourceMonitoring() itself, before
    // or after, gets them back (its registrations are TryAdd).
    private static void RemoveObsoleteSampler(IServiceCollection services, List<ServiceDescriptor> before)
    {
        for (int i = services.Count - 1; i >= 0; i--)
        {
            ServiceDescriptor descriptor = services[i];
            if (before.Contains(descriptor) || descriptor.IsKeyedService)
            {
                continue;
            }

            bool obsolete = descriptor.ServiceType == typeof(IResourceMonitor)
                || descriptor.ServiceType.FullName == "Microsoft.Extensions.Diagnostics.ResourceMonitoring.ResourceMonitorService"
                || (descriptor.ServiceType == typeof(IHostedService) && descriptor.ImplementationFactory is not null);
            if (obsolete)
            {
                services.RemoveAt(i);
            }
        }
    }
#pragma warning restore EXTOBS0001

    private static ResourceMonitor CreateMonitor(IServiceProvider services) =>
        new(
            services.GetServices<IResourceProbe>(),
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<IOptions<PredictiveLoadingOptions>>().Value.Resources.CheckInterval,
            (ILogger?)services.GetService<ILogger<ResourceMonitor>>() ?? NullLogger.Instance);
}
