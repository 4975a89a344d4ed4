using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PredictiveCaching.Prediction;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Redis;
using PredictiveCaching.Redis.Coordination;
using PredictiveCaching.Redis.DependencyInjection;
using PredictiveCaching.Redis.Diagnostics;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Coordinates predictive loading across application instances through Redis.</summary>
public static class RedisCoordinationBuilderExtensions
{
    /// <summary>
    /// Coordinates through Redis: one instance prefetches a key while the others skip it (a lease per key), remaining times
    /// to live of keys written by other instances are read in pipelined batches, trained models are shared (see
    /// <see cref="RedisCoordinationOptions.ShareModels"/>), and prefetching pauses while Redis is unreachable. Uses the
    /// <see cref="IConnectionMultiplexer"/> registered in the container, or connects with <see cref="RedisCoordinationOptions.Configuration"/>.
    /// After <c>AddStackExchangeRedisCache(…)</c> no argument is needed: what the options leave unset (the connection, the
    /// <see cref="RedisCoordinationOptions.InstanceName"/>) is taken from the registered <c>RedisCacheOptions</c>.
    /// </summary>
    /// <param name="builder">The predictive loading builder.</param>
    /// <param name="configure">Sets the options; what it leaves unset comes from <c>RedisCacheOptions</c> when registered.</param>
    /// <returns>The builder.</returns>
    public static IPredictiveLoadingBuilder UseRedisCoordination(this IPredictiveLoadingBuilder builder, Action<RedisCoordinationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IServiceCollection services = builder.Services;
        OptionsBuilder<RedisCoordinationOptions> options = services.AddOptions<RedisCoordinationOptions>().ValidateOnStart();
        // PredictiveLoading:RedisCoordination, bound once and before any configure delegate, so that code wins.
        if (builder.Configuration is { } section && !services.Any(d => d.ImplementationType == typeof(RedisCoordinationOptionsValidator)))
        {
            options.Bind(section.GetSection(RedisCoordinationOptions.SectionName));
        }

        builder.AddKnownSettings<RedisCoordinationOptions>(RedisCoordinationOptions.SectionName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<RedisCoordinationOptions>, RedisCacheCoordinationDefaults>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisCoordinationOptions>, RedisCoordinationOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RedisCoordinationMetrics>();
        services.TryAddSingleton<RedisConnection>();
        services.RemoveAll<IPrefetchCoordinator>();
        services.AddSingleton<IPrefetchCoordinator, RedisPrefetchCoordinator>();
        services.RemoveAll<IExpiryLookup>();
        services.AddSingleton<IExpiryLookup, RedisExpiryLookup>();
        services.RemoveAll<IModelStore>();
        services.AddSingleton<IModelStore, RedisModelStore>();
        return builder;
    }

    /// <summary>Coordinates through Redis, connecting with a StackExchange.Redis configuration string (for example <c>localhost:6379</c>).</summary>
    /// <param name="builder">The predictive loading builder.</param>
    /// <param name="configuration">The configuration string; the connection is owned by coordination and closed with the container.</param>
    /// <param name="configure">Sets further options.</param>
    /// <returns>The builder.</returns>
    public static IPredictiveLoadingBuilder UseRedisCoordination(this IPredictiveLoadingBuilder builder, string configuration, Action<RedisCoordinationOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        return builder.UseRedisCoordination(options =>
        {
            options.Configuration = configuration;
            configure?.Invoke(options);
        });
    }

    /// <summary>Coordinates through Redis over the application's <paramref name="multiplexer"/>, which is never disposed here.</summary>
    /// <param name="builder">The predictive loading builder.</param>
    /// <param name="multiplexer">The multiplexer to use.</param>
    /// <param name="configure">Sets further options.</param>
    /// <returns>The builder.</returns>
    public static IPredictiveLoadingBuilder UseRedisCoordination(this IPredictiveLoadingBuilder builder, IConnectionMultiplexer multiplexer, Action<RedisCoordinationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(multiplexer);
        return builder.UseRedisCoordination(options =>
        {
            options.ConnectionMultiplexerFactory = () => Task.FromResult(multiplexer);
            configure?.Invoke(options);
        });
    }
}
