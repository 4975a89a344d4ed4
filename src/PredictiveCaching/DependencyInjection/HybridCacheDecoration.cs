using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PredictiveCaching.Caching;

namespace PredictiveCaching.DependencyInjection;

/// <summary>
/// Replaces the application's <see cref="HybridCache"/> registration with <see cref="PredictiveHybridCache"/> and gives
/// HybridCache the undecorated <see cref="IDistributedCache"/> as its L2.
/// </summary>
/// <remarks>
/// Why the undecorated L2: the HybridCache decorator already records every read, so L2 reads recorded again would count
/// twice; and HybridCache deliberately ignores an L2 whose type is exactly <c>MemoryDistributedCache</c> (it would only
/// duplicate L1), a test the decorator can never pass. The undecorated cache is registered under a private service key
/// and set as <see cref="HybridCacheOptions.DistributedCacheServiceKey"/> only when the application set none: a keyed L2
/// of the application's own is honoured as it is.
/// </remarks>
internal static class HybridCacheDecoration
{
    /// <summary>The service key of the undecorated L2 given to HybridCache.</summary>
    internal const string UndecoratedL2Key = "PredictiveCaching.UndecoratedDistributedCache";

    // DefaultHybridCache's default expiration when HybridCacheOptions.DefaultEntryOptions sets none.
    private static readonly TimeSpan s_hybridDefaultExpiration = TimeSpan.FromMinutes(5);

    public static void Apply(IServiceCollection services)
    {
        if (!Contains(services, typeof(L2Marker)))
        {
            services.AddSingleton<L2Marker>();
            services.AddKeyedSingleton<IDistributedCache>(UndecoratedL2Key, static (sp, _) => Undecorated(sp));
            services.AddOptions<HybridCacheOptions>().PostConfigure(static o => o.DistributedCacheServiceKey ??= UndecoratedL2Key);
        }

        int index = LastIndexOfHybridCache(services);
        if (index < 0 || services[index].ImplementationFactory?.Target is Decorator)
        {
            // None yet (reported at start if one is added later), or already decorated: AddPredictiveLoading is idempotent.
            return;
        }

        ServiceDescriptor inner = services[index];
        services[index] = ServiceDescriptor.Describe(typeof(HybridCache), new Decorator(inner).Create, inner.Lifetime);
    }

    private static IDistributedCache Undecorated(IServiceProvider services)
    {
        IDistributedCache cache = services.GetRequiredService<IDistributedCache>();
        return cache is PredictiveDistributedCache predictive ? predictive.InnerCache : cache;
    }

    private static bool Contains(IServiceCollection services, Type serviceType)
    {
        foreach (ServiceDescriptor descriptor in services)
        {
            if (descriptor.ServiceType == serviceType)
            {
                return true;
            }
        }

        return false;
    }

    private static int LastIndexOfHybridCache(IServiceCollection services)
    {
        for (int i = services.Count - 1; i >= 0; i--)
        {
            ServiceDescriptor descriptor = services[i];
            if (descriptor.ServiceType == typeof(HybridCache) && !descriptor.IsKeyedService)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The factory of the decorated registration; its type tells a decorated registration from the application's.</summary>
    private sealed class Decorator(ServiceDescriptor inner)
    {
        public PredictiveHybridCache Create(IServiceProvider services)
        {
            HybridCache cache = inner.ImplementationInstance as HybridCache
                ?? (inner.ImplementationFactory is { } factory
                    ? (HybridCache)factory(services)
                    : (HybridCache)ActivatorUtilities.CreateInstance(services, inner.ImplementationType!));
            TimeSpan expiration = services.GetService<IOptions<HybridCacheOptions>>()?.Value.DefaultEntryOptions?.Expiration ?? s_hybridDefaultExpiration;
            return new PredictiveHybridCache(cache, services.GetRequiredService<AccessRecorder>(), expiration);
        }
    }

    private sealed class L2Marker;
}
