using System.Globalization;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PredictiveCaching.Validation;
using StackExchange.Redis;

namespace PredictiveCaching.Redis.DependencyInjection;

/// <summary>
/// Checks every range declared by an attribute on <see cref="RedisCoordinationOptions"/> (<see cref="OptionRangeAttribute"/>,
/// <see cref="DurationRangeAttribute"/>, the core's, compiled into this package), through the <c>[OptionsValidator]</c>
/// source generator: no reflection at start.
/// </summary>
[OptionsValidator]
internal sealed partial class RedisCoordinationOptionsRanges : IValidateOptions<RedisCoordinationOptions>
{
}

/// <summary>
/// Validates <see cref="RedisCoordinationOptions"/> at start, naming each bad option and its value: the declared ranges
/// (<see cref="RedisCoordinationOptionsRanges"/>), then the rules no attribute states (non-empty prefixes, an instance
/// name that matches the cache's, a connection).
/// </summary>
internal sealed class RedisCoordinationOptionsValidator(IServiceProviderIsService? isService = null, IOptions<RedisCacheOptions>? cacheOptions = null) : IValidateOptions<RedisCoordinationOptions>
{
    private const string Root = "PredictiveLoading:" + RedisCoordinationOptions.SectionName;

    private static readonly RedisCoordinationOptionsRanges Ranges = new();

    public ValidateOptionsResult Validate(string? name, RedisCoordinationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string>? failures = null;

        // Validated under the section's path, the generated validator names members PredictiveLoading:RedisCoordination.…
        ValidateOptionsResult ranges = Ranges.Validate(Root, options);
        if (ranges.Failed && ranges.Failures is { } declared)
        {
            (failures ??= []).AddRange(declared);
        }

        if (string.IsNullOrEmpty(options.LeaseKeyPrefix))
        {
            (failures ??= []).Add(Root + ":LeaseKeyPrefix must not be empty (it keeps lease keys apart from the application's keys); it was '" + options.LeaseKeyPrefix + "'.");
        }

        if (string.IsNullOrEmpty(options.ModelKeyPrefix))
        {
            (failures ??= []).Add(Root + ":ModelKeyPrefix must not be empty (it keeps the shared model apart from the application's keys); it was '" + options.ModelKeyPrefix + "'.");
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
