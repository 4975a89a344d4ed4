using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Hosting;
using PredictiveCaching.Caching;

namespace PredictiveCaching.DependencyInjection;

/// <summary>
/// Fails start-up when the application's <see cref="IDistributedCache"/> is not the predictive decorator, which happens
/// when a cache was registered with <c>Add</c> after <c>AddPredictiveLoading()</c> and so replaced it; likewise for a
/// <see cref="HybridCache"/>, default or keyed, registered after it, which would not be decorated.
/// </summary>
internal sealed class DecorationCheck(IServiceProvider services) : IHostedService
{
    internal static string RegisteredAfterMessage(Type resolved) =>
        "The IDistributedCache resolved from the container is " + resolved.FullName + ", not the predictive decorator: a cache was " +
        "registered after AddPredictiveLoading() and replaced it. Call AddPredictiveLoading() after registering the cache " +
        "(services.AddDistributedMemoryCache() or services.AddStackExchangeRedisCache(...)).";

    internal static string HybridRegisteredAfterMessage(Type resolved) =>
        "The HybridCache resolved from the container is " + resolved.FullName + ", not the predictive decorator: HybridCache was " +
        "registered after AddPredictiveLoading(), so its reads are not seen and nothing is prefetched for them. Call " +
        "AddPredictiveLoading() after services.AddHybridCache(...), or services.AddHybridCache(...).AddPredictiveLoading().";

    internal static string KeyedHybridRegisteredAfterMessage(object? serviceKey) =>
        "The keyed HybridCache '" + serviceKey + "' was registered after AddPredictiveLoading(), so it is not decorated: its reads " +
        "are not seen and nothing is prefetched for them. Call AddPredictiveLoading() after services.AddKeyedHybridCache(...), " +
        "or services.AddKeyedHybridCache(...).AddPredictiveLoading().";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        object? cache = services.GetService(typeof(IDistributedCache));
        if (cache is not null and not PredictiveDistributedCache)
        {
            throw new InvalidOperationException(RegisteredAfterMessage(cache.GetType()));
        }

        object? hybrid = services.GetService(typeof(HybridCache));
        if (hybrid is not null and not PredictiveHybridCache)
        {
            throw new InvalidOperationException(HybridRegisteredAfterMessage(hybrid.GetType()));
        }

        if (services.GetService(typeof(HybridCacheDecoration.Registrations)) is HybridCacheDecoration.Registrations registrations
            && registrations.UndecoratedKeyedHybridCaches() is [var key, ..])
        {
            throw new InvalidOperationException(KeyedHybridRegisteredAfterMessage(key));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
