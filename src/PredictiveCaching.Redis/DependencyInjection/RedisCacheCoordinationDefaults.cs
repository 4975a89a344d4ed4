using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Options;

namespace PredictiveCaching.Redis.DependencyInjection;

/// <summary>
/// Fills what coordination was not told from the application's <c>AddStackExchangeRedisCache(…)</c>: its connection
/// (multiplexer factory, configuration options or string) and its <c>InstanceName</c>, so that coordination talks to the
/// Redis the cache lives in and finds the cache's keys where <c>RedisCache</c> puts them.
/// </summary>
internal sealed class RedisCacheCoordinationDefaults(IOptions<RedisCacheOptions> cacheOptions) : IPostConfigureOptions<RedisCoordinationOptions>
{
    public void PostConfigure(string? name, RedisCoordinationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        RedisCacheOptions cache = cacheOptions.Value;
        if (string.IsNullOrEmpty(options.InstanceName) && !string.IsNullOrEmpty(cache.InstanceName))
        {
            options.InstanceName = cache.InstanceName;
        }

        if (options.ConnectionMultiplexerFactory is not null || !string.IsNullOrWhiteSpace(options.Configuration))
        {
            return;
        }

        if (cache.ConnectionMultiplexerFactory is { } factory)
        {
            // The application's multiplexer (as for a factory set on these options): never disposed here.
            options.ConnectionMultiplexerFactory = factory;
        }
        else if (cache.ConfigurationOptions is { } configurationOptions)
        {
            options.Configuration = configurationOptions.ToString(includePassword: true);
        }
        else if (!string.IsNullOrWhiteSpace(cache.Configuration))
        {
            options.Configuration = cache.Configuration;
        }
    }
}
