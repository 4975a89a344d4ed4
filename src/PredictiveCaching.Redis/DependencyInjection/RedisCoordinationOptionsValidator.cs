using System.Globalization;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace PredictiveCaching.Redis.DependencyInjection;

/// <summary>Validates <see cref="RedisCoordinationOptions"/> at start, naming each bad option and its value.</summary>
internal sealed class RedisCoordinationOptionsValidator(IServiceProviderIsService? isService = null, IOptions<RedisCacheOptions>? cacheOptions = null) : IValidateOptions<RedisCoordinationOptions>
{
    private const string Root = "PredictiveLoading:" + RedisCoordinationOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, RedisCoordinationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string>? failures = null;
        if (string.IsNullOrEmpty(options.LeaseKeyPrefix))
        {
            (failures ??= []).Add(Root + ":LeaseKeyPrefix must not be empty (it keeps lease keys apart from the application's keys); it was '" + options.LeaseKeyPrefix + "'.");
        }

        if (options.CommandTimeout < TimeSpan.FromMilliseconds(1) || options.CommandTimeout > TimeSpan.FromMinutes(1))
        {
            (failures ??= []).Add(string.Create(CultureInfo.InvariantCulture, $"{Root}:CommandTimeout must be from 00:00:00.001 to 00:01:00; it was {options.CommandTimeout}."));
        }

        if (options.LookupBatchSize is < 1 or > 10_000)
        {
            (failures ??= []).Add(string.Create(CultureInfo.InvariantCulture, $"{Root}:LookupBatchSize must be from 1 to 10000; it was {options.LookupBatchSize}."));
        }

        if (string.IsNullOrEmpty(options.ModelKeyPrefix))
        {
            (failures ??= []).Add(Root + ":ModelKeyPrefix must not be empty (it keeps the shared model apart from the application's keys); it was '" + options.ModelKeyPrefix + "'.");
        }

        if (options.ModelCheckInterval < TimeSpan.Zero || options.ModelCheckInterval > TimeSpan.FromHours(1))
        {
            (failures ??= []).Add(string.Create(CultureInfo.InvariantCulture, $"{Root}:ModelCheckInterval must be from 00:00:00 to 01:00:00; it was {options.ModelCheckInterval}."));
        }

        if (options.ModelTransferTimeout < TimeSpan.FromMilliseconds(1) || options.ModelTransferTimeout > TimeSpan.FromMinutes(10))
        {
            (failures ??= []).Add(string.Create(CultureInfo.InvariantCulture, $"{Root}:ModelTransferTimeout must be from 00:00:00.001 to 00:10:00; it was {options.ModelTransferTimeout}."));
        }

        if (options.InstanceName is null)
        {
            (failures ??= []).Add(Root + ":InstanceName must not be null (use an empty string for no prefix).");
        }
        else if (cacheOptions?.Value.InstanceName is { Length: > 0 } cacheInstance && !string.Equals(cacheInstance, options.InstanceName, StringComparison.Ordinal))
        {
            // Prefetches are written, and TTLs read, where RedisCache keeps the entries: under its InstanceName.
            (failures ??= []).Add(Root + ":InstanceName must be the RedisCache's InstanceName '" + cacheInstance + "' (or left empty to take it); it was '" + options.InstanceName + "'.");
        }

        bool hasConnection = !string.IsNullOrWhiteSpace(options.Configuration)
            || options.ConnectionMultiplexerFactory is not null
            || isService?.IsService(typeof(IConnectionMultiplexer)) == true;
        if (!hasConnection)
        {
            (failures ??= []).Add(Root + ":Configuration is not set, and neither a ConnectionMultiplexerFactory nor an IConnectionMultiplexer in the container gives Redis coordination a connection; pass one to UseRedisCoordination(...).");
        }

        return failures is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
