using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using PredictiveCaching.Caching;

namespace PredictiveCaching.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void AddPredictiveLoading_AfterMemoryCache_ResolvesDecorator()
    {
        var services = new ServiceCollection();
        services.AddDistributedMemoryCache();
        services.AddPredictiveLoading();
        using ServiceProvider provider = services.BuildServiceProvider();
        Assert.IsAssignableFrom<PredictiveDistributedCache>(provider.GetRequiredService<IDistributedCache>());
    }
}
