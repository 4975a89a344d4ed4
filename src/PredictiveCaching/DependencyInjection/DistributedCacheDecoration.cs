using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using PredictiveCaching.Caching;

namespace PredictiveCaching.DependencyInjection;

/// <summary>Replaces the application's <see cref="IDistributedCache"/> registration with the predictive decorator.</summary>
/// <remarks>
/// Microsoft.Extensions.DependencyInjection has no hook that runs just before the provider is built, so a
/// registration can only be decorated once it exists. When none exists yet, a decorator descriptor is added that
/// looks for the inner registration when first resolved and fails with instructions if there is none; a cache
/// registered later with <c>Add</c> (which then wins) is reported at start by <see cref="DecorationCheck"/>.
/// </remarks>
internal static class DistributedCacheDecoration
{
    internal const string MissingInnerMessage =
        "PredictiveLoading decorates the application's IDistributedCache, but none is registered. " +
        "Register one before calling AddPredictiveLoading(), for example services.AddDistributedMemoryCache() " +
        "or services.AddStackExchangeRedisCache(options => options.Configuration = \"localhost:6379\").";

    public static void Apply(IServiceCollection services)
    {
        int index = LastIndexOfInner(services);
        if (index < 0)
        {
            services.Add(ServiceDescriptor.Singleton<IDistributedCache>(_ => throw new InvalidOperationException(MissingInnerMessage)));
            return;
        }

        ServiceDescriptor inner = services[index];
        services[index] = ServiceDescriptor.Describe(
            typeof(IDistributedCache),
            sp => Create(sp, inner),
            inner.Lifetime);
    }

    private static int LastIndexOfInner(IServiceCollection services)
    {
        for (int i = services.Count - 1; i >= 0; i--)
        {
            ServiceDescriptor descriptor = services[i];
            if (descriptor.ServiceType == typeof(IDistributedCache) && !descriptor.IsKeyedService)
            {
                return i;
            }
        }

        return -1;
    }

    private static PredictiveDistributedCache Create(IServiceProvider services, ServiceDescriptor descriptor)
    {
        (IDistributedCache inner, bool owned) = CreateInner(services, descriptor);
        AccessRecorder recorder = services.GetRequiredService<AccessRecorder>();
        return inner is IBufferDistributedCache buffered
            ? new PredictiveBufferDistributedCache(buffered, recorder, owned)
            : new PredictiveDistributedCache(inner, recorder, owned);
    }

    private static (IDistributedCache Cache, bool Owned) CreateInner(IServiceProvider services, ServiceDescriptor descriptor)
    {
        if (descriptor.ImplementationInstance is IDistributedCache instance)
        {
            // The container never disposes instances it was handed; neither do we.
            return (instance, false);
        }

        if (descriptor.ImplementationFactory is { } factory)
        {
            return ((IDistributedCache)factory(services), true);
        }

        if (descriptor.ImplementationType is { } type)
        {
            return ((IDistributedCache)ActivatorUtilities.CreateInstance(services, type), true);
        }

        throw new InvalidOperationException(MissingInnerMessage);
    }
}
