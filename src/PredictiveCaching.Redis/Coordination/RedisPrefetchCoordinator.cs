using System.Globalization;
using PredictiveCaching.Prefetching;
using StackExchange.Redis;

namespace PredictiveCaching.Redis.Coordination;

/// <summary>
/// One prefetch per key across instances: <c>SET lease-key token NX PX lease-time</c> grants the key to one instance; the
/// lease lapses by itself when its holder dies, and is released by a script that deletes it only while it still holds
/// the holder's token (so a late release never drops a lease another instance has taken since).
/// </summary>
internal sealed class RedisPrefetchCoordinator(RedisConnection connection) : IPrefetchCoordinator
{
    // Token-checked release: a holder whose lease lapsed and was re-granted must not delete the new holder's lease.
    internal const string ReleaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
            return redis.call('DEL', KEYS[1])
        end
        return 0
        """;

    private long _nextToken;

    // Unique per process start and lease: enough to tell this holder from every other one.
    private readonly string _tokenPrefix = Guid.NewGuid().ToString("N") + ":";

    public string? UnavailableReason => connection.IsUnavailable ? "Redis coordination is unavailable" : null;

    public async ValueTask<IAsyncDisposable?> TryAcquireAsync(string key, TimeSpan leaseTime, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        IDatabase? database = await connection.GetDatabaseAsync().ConfigureAwait(false);
        if (database is null)
        {
            return null;
        }

        RedisCoordinationOptions options = connection.Options;
        RedisKey leaseKey = LeaseKey(options, key);
        string token = _tokenPrefix + Interlocked.Increment(ref _nextToken).ToString(CultureInfo.InvariantCulture);
        bool granted;
        try
        {
            // Network timeouts are wall-clock by nature, whatever TimeProvider the loop runs on.
            granted = await database.StringSetAsync(leaseKey, token, leaseTime, When.NotExists)
                .WaitAsync(options.CommandTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (RedisConnection.IsOutage(exception))
        {
            connection.ReportUnavailable(exception.GetType().Name, exception);
            return null;
        }

        connection.ReportAvailable();
        if (!granted)
        {
            connection.Metrics.LeasesDenied.Add(1);
            return null;
        }

        connection.Metrics.LeasesAcquired.Add(1);
        return new Lease(database, leaseKey, token, options.CommandTimeout);
    }

    internal static RedisKey LeaseKey(RedisCoordinationOptions options, string key) => options.LeaseKeyPrefix + options.InstanceName + key;

    private sealed class Lease(IDatabase database, RedisKey key, string token, TimeSpan timeout) : IAsyncDisposable
    {
        private int _released;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0)
            {
                return;
            }

            try
            {
                await database.ScriptEvaluateAsync(ReleaseScript, [key], [token]).WaitAsync(timeout).ConfigureAwait(false);
            }
            catch (Exception exception) when (RedisConnection.IsOutage(exception))
            {
                // Unreleased, the lease lapses by itself after its lease time.
            }
        }
    }
}
