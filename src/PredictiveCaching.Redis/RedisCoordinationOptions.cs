using PredictiveCaching.Validation;
using StackExchange.Redis;

namespace PredictiveCaching.Redis;

/// <summary>Options of Redis coordination (<c>UseRedisCoordination</c>).</summary>
public sealed class RedisCoordinationOptions
{
    /// <summary>The configuration section these options bind from, under <c>PredictiveLoading</c>.</summary>
    public const string SectionName = "RedisCoordination";

    /// <summary>
    /// Gets or sets the StackExchange.Redis configuration string used when neither
    /// <see cref="ConnectionMultiplexerFactory"/> is set nor an <see cref="IConnectionMultiplexer"/> is registered.
    /// </summary>
    /// <value>Default <see langword="null"/>.</value>
    public string? Configuration { get; set; }

    /// <summary>
    /// Gets or sets a factory of the multiplexer to use. A multiplexer from it, or one registered in the container, is the
    /// application's and is never disposed here; one connected from <see cref="Configuration"/> is owned and disposed.
    /// </summary>
    /// <value>Default <see langword="null"/>.</value>
    public Func<Task<IConnectionMultiplexer>>? ConnectionMultiplexerFactory { get; set; }

    /// <summary>
    /// Gets or sets the prefix that the inner cache puts before the application's keys, so that their remaining time to
    /// live can be read: <c>RedisCacheOptions.InstanceName</c> when the inner cache is <c>RedisCache</c>.
    /// </summary>
    /// <value>Default empty.</value>
    public string InstanceName { get; set; } = string.Empty;

    /// <summary>Gets or sets the prefix of the lease keys (the application's key follows it, after <see cref="InstanceName"/>).</summary>
    /// <value>Default <c>predictive-caching:lease:</c>; not empty.</value>
    public string LeaseKeyPrefix { get; set; } = "predictive-caching:lease:";

    /// <summary>
    /// Gets or sets how long a lease request, a lease release or one batch of time-to-live lookups may take; past it Redis
    /// counts as unreachable for that call (prefetching skips, the application is not affected).
    /// </summary>
    /// <value>Default 1 second.</value>
    [DurationRange("00:00:00.001", "00:01:00")]
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets how many keys go into one pipelined batch of time-to-live lookups.</summary>
    /// <value>Default 256.</value>
    [OptionRange(1, 10_000)]
    public int LookupBatchSize { get; set; } = 256;

    /// <summary>Gets or sets a value indicating whether remaining times to live are read for candidates written by other instances.</summary>
    /// <value>Default <see langword="true"/>.</value>
    public bool LookupExpiries { get; set; } = true;

    /// <summary>
    /// Gets or sets a value indicating whether trained models are shared through Redis: an accepted model is published, a
    /// newer published one is taken at the next cycle, and a new instance starts with the newest.
    /// </summary>
    /// <value>Default <see langword="true"/>.</value>
    public bool ShareModels { get; set; } = true;

    /// <summary>Gets or sets the prefix of the shared model's key (<see cref="InstanceName"/> follows it).</summary>
    /// <value>Default <c>predictive-caching:model:</c>; not empty.</value>
    public string ModelKeyPrefix { get; set; } = "predictive-caching:model:";

    /// <summary>
    /// Gets or sets the least time between two checks for a newer shared model; zero checks at every prefetch cycle (one
    /// <c>HGET</c> of the version; the model itself is read only when the version moved).
    /// </summary>
    /// <value>Default zero (every cycle).</value>
    [DurationRange("00:00:00", "01:00:00")]
    public TimeSpan ModelCheckInterval { get; set; } = TimeSpan.Zero;

    /// <summary>Gets or sets how long publishing or reading a model may take; past it Redis counts as unreachable for that call.</summary>
    /// <value>Default 10 seconds.</value>
    [DurationRange("00:00:00.001", "00:10:00")]
    public TimeSpan ModelTransferTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
