using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PredictiveCaching.Resources;

namespace PredictiveCaching.DependencyInjection;

/// <summary>Registers the built-in resource probes and the <see cref="ResourceMonitor"/> that samples them.</summary>
internal static class ResourceMonitoringRegistration
{
    public static IServiceCollection AddResourceMonitoring(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
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

    private static ResourceMonitor CreateMonitor(IServiceProvider services) =>
        new(
            services.GetServices<IResourceProbe>(),
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<IOptions<PredictiveLoadingOptions>>().Value.Resources.CheckInterval,
            (ILogger?)services.GetService<ILogger<ResourceMonitor>>() ?? NullLogger.Instance);
}
