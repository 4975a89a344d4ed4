using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PredictiveCaching.Redis.Coordination;
using PredictiveCaching.Redis.Diagnostics;
using StackExchange.Redis;

namespace PredictiveCaching.Redis.Tests.Infrastructure;

/// <summary>Builds the coordination parts directly over a given multiplexer, without a container.</summary>
internal static class Coordination
{
    public static RedisConnection Connect(IConnectionMultiplexer multiplexer, string instanceName = "", ILogger<RedisConnection>? logger = null, RedisCoordinationMetrics? metrics = null) =>
        new(
            new ServiceCollection().BuildServiceProvider(),
            Options.Create(new RedisCoordinationOptions
            {
                InstanceName = instanceName,
                ConnectionMultiplexerFactory = () => Task.FromResult(multiplexer),
                LookupBatchSize = 256,
            }),
            metrics ?? new RedisCoordinationMetrics(),
            TimeProvider.System,
            logger ?? NullLogger<RedisConnection>.Instance);

    public static async Task<IConnectionMultiplexer> MultiplexerAsync(string? endpoint = null) =>
        await ConnectionMultiplexer.ConnectAsync((endpoint ?? await RedisTestServer.GetEndpointAsync()) + ",abortConnect=false");
}
