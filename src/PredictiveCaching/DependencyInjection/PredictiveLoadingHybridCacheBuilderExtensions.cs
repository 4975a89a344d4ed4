using Microsoft.Extensions.Caching.Hybrid;
using PredictiveCaching;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds predictive loading to the application's <see cref="HybridCache"/>.</summary>
public static class PredictiveLoadingHybridCacheBuilderExtensions
{
    /// <summary>
    /// Decorates the registered <see cref="HybridCache"/> and <c>IDistributedCache</c> (register the distributed cache
    /// first) and adds the services that predict and prefetch keys, like
    /// <see cref="PredictiveLoadingServiceCollectionExtensions.AddPredictiveLoading(IServiceCollection, Action{PredictiveLoadingOptions}?)"/>:
    /// every <c>GetOrCreateAsync</c>, L1 hits included, is recorded. Register sources for keys read through HybridCache
    /// with <see cref="PrefetchSourceBuilderExtensions.AddHybridSource{T}"/>. Calling it again only applies <paramref name="configure"/>.
    /// </summary>
    /// <param name="builder">The builder <c>AddHybridCache()</c> returned.</param>
    /// <param name="configure">Optional changes to the default options.</param>
    /// <returns>A builder for sources, feature extractors, resource probes, strategies and plug-ins.</returns>
    public static IPredictiveLoadingBuilder AddPredictiveLoading(this IHybridCacheBuilder builder, Action<PredictiveLoadingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Services.AddPredictiveLoading(configure);
    }
}
