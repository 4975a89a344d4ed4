using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PredictiveCaching.Caching;

namespace PredictiveCaching.DependencyInjection;

/// <summary>
/// Replaces the application's <see cref="HybridCache"/> registrations — the default one and every keyed one
/// (<c>AddKeyedHybridCache</c>) — with <see cref="PredictiveHybridCache"/>s and gives HybridCache the undecorated
/// <see cref="IDistributedCache"/> as its L2.
/// </summary>
/// <remarks>
/// Every decorated HybridCache records into the same tracker, so a key read through two of them is one key to it.
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
            services.AddSingleton(new Registrations(services));
            services.PostConfigureAll<HybridCacheOptions>(static o => o.DistributedCacheServiceKey ??= UndecoratedL2Key);
        }

        for (int i = 0; i < services.Count; i++)
        {
            ServiceDescriptor descriptor = services[i];
            if (descriptor.ServiceType == typeof(HybridCache) && descriptor.IsKeyedService && !IsDecorated(descriptor))
            {
                // AddKeyedHybridCache(key, …): each keyed registration decorated in place, keeping its key and lifetime.
                services[i] = ServiceDescriptor.DescribeKeyed(typeof(HybridCache), descriptor.ServiceKey, new KeyedDecorator(descriptor).Create, descriptor.Lifetime);
            }
        }

        int index = LastIndexOfHybridCache(services);
        if (index < 0 || IsDecorated(services[index]))
        {
            // None yet (reported at start if one is added later), or already decorated: AddPredictiveLoading is idempotent.
            return;
        }

        ServiceDescriptor inner = services[index];
        services[index] = ServiceDescriptor.Describe(typeof(HybridCache), new Decorator(inner).Create, inner.Lifetime);
    }

    /// <summary>Whether a registration of <see cref="HybridCache"/> is one this class made.</summary>
    internal static bool IsDecorated(ServiceDescriptor descriptor) =>
        descriptor.IsKeyedService ? descriptor.KeyedImplementationFactory?.Target is KeyedDecorator : descriptor.ImplementationFactory?.Target is Decorator;

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

    /// <summary>The factory of a decorated keyed registration.</summary>
    private sealed class KeyedDecorator(ServiceDescriptor inner)
    {
        public PredictiveHybridCache Create(IServiceProvider services, object? serviceKey)
        {
            HybridCache cache = inner.KeyedImplementationInstance as HybridCache
                ?? (inner.KeyedImplementationFactory is { } factory
                    ? (HybridCache)factory(services, serviceKey)
                    : (HybridCache)ActivatorUtilities.CreateInstance(services, inner.KeyedImplementationType!));

            // AddKeyedHybridCache(key) names its options after the key (unless given another name, which the registration
            // does not tell): the default expiration of entries written without one, as HybridCache applies it.
            string optionsName = serviceKey?.ToString() ?? Options.DefaultName;
            TimeSpan expiration = services.GetService<IOptionsMonitor<HybridCacheOptions>>()?.Get(optionsName).DefaultEntryOptions?.Expiration ?? s_hybridDefaultExpiration;
            return new PredictiveHybridCache(cache, services.GetRequiredService<AccessRecorder>(), expiration);
        }
    }

    /// <summary>
    /// The application's registrations, kept so that <see cref="DecorationCheck"/> can find keyed HybridCaches registered
    /// after <c>AddPredictiveLoading()</c> (a container cannot list the keys it serves).
    /// </summary>
    internal sealed class Registrations(IServiceCollection services)
    {
        /// <summary>Returns the service keys of the keyed HybridCache registrations that are not decorated.</summary>
        public List<object?> UndecoratedKeyedHybridCaches()
        {
            var keys = new List<object?>();
            foreach (ServiceDescriptor descriptor in services)
            {
                if (descriptor.ServiceType == typeof(HybridCache) && descriptor.IsKeyedService && !IsDecorated(descriptor))
                {
                    keys.Add(descriptor.ServiceKey);
                }
            }

            return keys;
        }
    }

    private sealed class L2Marker;
}
