using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using PredictiveCaching.Caching;

namespace PredictiveCaching.Benchmarks;

/// <summary>
/// The decorator as an application gets it from DI over <c>AddDistributedMemoryCache()</c>, and the same
/// MemoryDistributedCache underneath it: the two sides of every read-path ratio.
/// </summary>
internal sealed class DecoratedMemoryCache : IDisposable
{
    private readonly ServiceProvider _provider;

    public DecoratedMemoryCache(Action<PredictiveLoadingOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddDistributedMemoryCache();
        services.AddPredictiveLoading(configure);
        _provider = services.BuildServiceProvider();
        Decorated = _provider.GetRequiredService<IDistributedCache>();
        Raw = ((PredictiveDistributedCache)Decorated).InnerCache;
    }

    public IDistributedCache Decorated { get; }

    public IDistributedCache Raw { get; }

    public void Dispose() => _provider.Dispose();
}
