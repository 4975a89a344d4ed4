using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PredictiveCaching.Resources;

namespace PredictiveCaching.Tests.Resources;

public sealed class ResourceMonitoringRegistrationTests
{
    [Fact]
    public void AddPredictiveLoading_Default_RegistersBuiltInProbesInOrder()
    {
        using ServiceProvider provider = CreateServices().BuildServiceProvider();

        Assert.Equal(
            ["memory", "cpu", "disk-read", "disk-write", "network-in", "network-out"],
            provider.GetServices<IResourceProbe>().Select(p => p.Name));
    }

    [Fact]
    public void AddPredictiveLoading_Default_MonitorIsSingletonAndHostedService()
    {
        using ServiceProvider provider = CreateServices().BuildServiceProvider();

        ResourceMonitor monitor = provider.GetRequiredService<ResourceMonitor>();

        Assert.Same(monitor, provider.GetRequiredService<ResourceMonitor>());
        Assert.Single(provider.GetServices<IHostedService>(), s => ReferenceEquals(s, monitor));
    }

    [Fact]
    public void AddResourceProbe_Type_AddedOnceAndSampled()
    {
        ServiceCollection services = CreateServices();
        services.AddPredictiveLoading().AddResourceProbe<QueueDepthProbe>().AddResourceProbe<QueueDepthProbe>();
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Single(provider.GetServices<IResourceProbe>(), p => p is QueueDepthProbe);
        ResourceMonitor monitor = provider.GetRequiredService<ResourceMonitor>();
        monitor.SampleNow();
        Assert.Equal(0.42, monitor.Current.Custom);
    }

    [Fact]
    public void AddResourceProbe_Instances_EachAddedOnce()
    {
        var first = new FakeResourceProbe("a", ResourceKind.Custom, 0.1);
        var second = new FakeResourceProbe("b", ResourceKind.Custom, 0.6);
        ServiceCollection services = CreateServices();
        services.AddPredictiveLoading().AddResourceProbe(first).AddResourceProbe(second).AddResourceProbe(first);
        using ServiceProvider provider = services.BuildServiceProvider();

        IResourceProbe[] custom = [.. provider.GetServices<IResourceProbe>().Where(p => p.Kind == ResourceKind.Custom)];
        Assert.Equal([first, second], custom);
        ResourceMonitor monitor = provider.GetRequiredService<ResourceMonitor>();
        monitor.SampleNow();
        Assert.Equal(0.6, monitor.Current.Custom);
    }

    [Fact]
    public void Validate_AssumedNetworkBytesPerSecondZero_FailsNamingOption()
    {
        ServiceCollection services = CreateServices();
        services.AddPredictiveLoading(o => o.Resources.AssumedNetworkBytesPerSecond = 0);
        using ServiceProvider provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<PredictiveLoadingOptions>>().Value);
        Assert.Contains("PredictiveLoading:Resources:AssumedNetworkBytesPerSecond must be at least 1; was 0", ex.Failures);
    }

    [Fact]
    public void ResourceOptions_Default_AssumesOneGigabitPerSecond()
    {
        Assert.Equal(125_000_000, new ResourceOptions().AssumedNetworkBytesPerSecond);
    }

    private static ServiceCollection CreateServices()
    {
        var services = new ServiceCollection();
        services.AddDistributedMemoryCache();
        services.AddPredictiveLoading();
        return services;
    }

    private sealed class QueueDepthProbe : IResourceProbe
    {
        public string Name => "queue-depth";

        public ResourceKind Kind => ResourceKind.Custom;

        public double Sample() => 0.42;
    }
}
