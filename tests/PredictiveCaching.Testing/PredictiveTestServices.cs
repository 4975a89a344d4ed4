using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PredictiveCaching.Resources;

namespace PredictiveCaching.Testing;

/// <summary>
/// The container set-up the harnesses share: the library over a given inner cache, on a fake clock, with the adaptive
/// strategy pinned and the machine's own resource probes removed, so that results depend on the test and not on how
/// busy the machine is. Cycles are run by the test; nothing here starts hosted services.
/// </summary>
public static class PredictiveTestServices
{
    /// <summary>Registers logging, <paramref name="time"/> as the <see cref="TimeProvider"/> and <paramref name="inner"/> as the cache to decorate.</summary>
    /// <param name="services">The services.</param>
    /// <param name="time">The clock.</param>
    /// <param name="inner">The inner cache, or <see langword="null"/> when the test registers its own (e.g. <c>RedisCache</c>).</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddVirtualTime(this IServiceCollection services, TimeProvider time, IDistributedCache? inner = null)
    {
        services.AddLogging();
        services.AddSingleton(time);
        if (inner is not null)
        {
            services.AddSingleton(inner);
        }

        return services;
    }

    /// <summary>
    /// Adds predictive loading with the strategy pinned (<c>Strategies:Adaptive = false</c>) and without the machine's
    /// resource probes; <paramref name="configure"/> runs after the pinning. Tests add the probes they need afterwards.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Further options.</param>
    /// <returns>The builder.</returns>
    public static IPredictiveLoadingBuilder AddPredictiveLoadingForTests(this IServiceCollection services, Action<PredictiveLoadingOptions>? configure = null)
    {
        IPredictiveLoadingBuilder builder = services.AddPredictiveLoading(o =>
        {
            o.Strategies.Adaptive = false;
            configure?.Invoke(o);
        });
        services.RemoveAll<IResourceProbe>();
        return builder;
    }

    /// <summary>Builds the provider, checking every registration can be made (<see cref="ServiceProviderOptions.ValidateOnBuild"/>).</summary>
    /// <param name="services">The services.</param>
    /// <returns>The provider.</returns>
    public static ServiceProvider BuildValidated(this IServiceCollection services) =>
        services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
}
