using System.Globalization;
using PredictiveCaching.Prediction;
using StackExchange.Redis;

namespace PredictiveCaching.Redis.Coordination;

/// <summary>
/// Shares trained models through one Redis hash, <c>ModelKeyPrefix + InstanceName</c>, with the fields <c>version</c>,
/// <c>schema</c> (the feature-schema fingerprint) and <c>data</c> (the model in <see cref="TreeModelFormat"/>). A publish
/// is a compare-and-set script: it writes only a higher version than the stored one, so versions only rise whatever order
/// instances publish in. A look-up reads <c>version</c> alone (a few bytes) and the model only when the version moved.
/// </summary>
internal sealed class RedisModelStore(RedisConnection connection, TimeProvider time) : IModelStore
{
    // Returns 0 when the model was stored, otherwise the version that is kept (always at least 1).
    internal const string PublishScript = """
        local stored = tonumber(redis.call('HGET', KEYS[1], 'version'))
        if stored and stored >= tonumber(ARGV[1]) then
            return stored
        end
        redis.call('HSET', KEYS[1], 'version', ARGV[1], 'schema', ARGV[2], 'data', ARGV[3])
        return 0
        """;

    private static readonly RedisValue[] s_modelFields = ["version", "schema", "data"];

    private long _nextCheckAt = long.MinValue;

    public async ValueTask<ModelPublishStatus> PublishAsync(SharedModel model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        RedisCoordinationOptions options = connection.Options;
        IDatabase? database = options.ShareModels ? await connection.GetDatabaseAsync().ConfigureAwait(false) : null;
        if (database is null)
        {
            return ModelPublishStatus.Unavailable;
        }

        RedisResult result;
        try
        {
            result = await database.ScriptEvaluateAsync(
                    PublishScript,
                    [ModelKey(options)],
                    [model.Version, model.SchemaFingerprint, model.Data])
                .WaitObservedAsync(options.ModelTransferTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (RedisConnection.IsOutage(exception))
        {
            connection.ReportUnavailable(exception.GetType().Name, exception);
            return ModelPublishStatus.Unavailable;
        }

        connection.ReportAvailable();
        if ((long)result != 0)
        {
            return ModelPublishStatus.Superseded;
        }

        connection.Metrics.ModelsPublished.Add(1);
        return ModelPublishStatus.Published;
    }

    public async ValueTask<SharedModel?> TryGetNewerAsync(long currentVersion, CancellationToken cancellationToken = default)
    {
        RedisCoordinationOptions options = connection.Options;
        if (!options.ShareModels || !DueForCheck(options))
        {
            return null;
        }

        IDatabase? database = await connection.GetDatabaseAsync().ConfigureAwait(false);
        if (database is null)
        {
            return null;
        }

        RedisKey key = ModelKey(options);
        try
        {
            RedisValue version = await database.HashGetAsync(key, s_modelFields[0])
                .WaitObservedAsync(options.CommandTimeout, cancellationToken).ConfigureAwait(false);
            if (!TryParseVersion(version, out long shared) || shared <= currentVersion)
            {
                connection.ReportAvailable();
                return null;
            }

            // Fields read together, so version, schema and bytes always belong to the same publish.
            RedisValue[] fields = await database.HashGetAsync(key, s_modelFields)
                .WaitObservedAsync(options.ModelTransferTimeout, cancellationToken).ConfigureAwait(false);
            connection.ReportAvailable();
            if (!TryParseVersion(fields[0], out shared) || shared <= currentVersion || fields[1].IsNullOrEmpty || fields[2].IsNullOrEmpty)
            {
                return null;
            }

            connection.Metrics.ModelsFetched.Add(1);
            return new SharedModel(shared, (string)fields[1]!, (byte[])fields[2]!);
        }
        catch (Exception exception) when (RedisConnection.IsOutage(exception))
        {
            connection.ReportUnavailable(exception.GetType().Name, exception);
            return null;
        }
    }

    internal static RedisKey ModelKey(RedisCoordinationOptions options) => options.ModelKeyPrefix + options.InstanceName;

    private static bool TryParseVersion(RedisValue value, out long version)
    {
        version = 0;
        return !value.IsNullOrEmpty && long.TryParse((string?)value, NumberStyles.Integer, CultureInfo.InvariantCulture, out version);
    }

    // ModelCheckInterval zero checks at every cycle; otherwise at most once per interval of TimeProvider time.
    private bool DueForCheck(RedisCoordinationOptions options)
    {
        if (options.ModelCheckInterval <= TimeSpan.Zero)
        {
            return true;
        }

        long now = time.GetUtcNow().UtcTicks;
        long next = Interlocked.Read(ref _nextCheckAt);
        return now >= next && Interlocked.CompareExchange(ref _nextCheckAt, now + options.ModelCheckInterval.Ticks, next) == next;
    }
}
