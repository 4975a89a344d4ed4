using System.Globalization;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using PredictiveCaching.Prefetching;
using StackExchange.Redis;

namespace PredictiveCaching.Redis.Coordination;

/// <summary>
/// One prefetch per key across instances, and no prefetched value after a newer application write through any of them.
/// <c>SET lease-key token NX PX lease-time</c> grants the key to one instance. An application write or removal through
/// any instance first deletes the key's lease (<see cref="FenceWriteAsync"/>), and a prefetch writes only while its
/// lease still holds its token, in one script that checks, writes <c>RedisCache</c>'s hash and releases the lease: a
/// load that began before the application's write can no longer land after it.
/// </summary>
internal sealed class RedisPrefetchCoordinator(RedisConnection connection, TimeProvider time) : IPrefetchCoordinator
{
    // Token-checked release: a holder whose lease lapsed and was re-granted must not delete the new holder's lease.
    internal const string ReleaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
            return redis.call('DEL', KEYS[1])
        end
        return 0
        """;

    // KEYS: lease. ARGV: token, lease time in ms. Before a typed write: the lease is still this holder's, and lasts the
    // write (HybridCache's own L2 write follows; the lease is released, and checked again, after it).
    internal const string RenewScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            return 1
        end
        return 0
        """;

    // KEYS: lease, entry. ARGV: token, absexp, sldexp, data, time to live in ms (0: none). The layout is RedisCache's:
    // a hash with the absolute expiry and sliding window in ticks (-1 when unset) and the value, the key's own expiry
    // being the entry's. A missing token means an application write fenced the lease out, or the lease lapsed.
    internal const string WriteScript = """
        if redis.call('GET', KEYS[1]) ~= ARGV[1] then
            return 0
        end
        redis.call('DEL', KEYS[1])
        redis.call('HSET', KEYS[2], 'absexp', ARGV[2], 'sldexp', ARGV[3], 'data', ARGV[4])
        local ttl = tonumber(ARGV[5])
        if ttl > 0 then
            redis.call('PEXPIRE', KEYS[2], ttl)
        else
            redis.call('PERSIST', KEYS[2])
        end
        return 1
        """;

    // Redis refuses an expiry past the end of its clock; a century is "never" for a cache and always accepted.
    private const long MaxTimeToLiveMilliseconds = 100L * 365 * 24 * 3600 * 1000;
    private const long NotPresent = -1;

    private long _nextToken;

    // Unique per process start and lease: enough to tell this holder from every other one.
    private readonly string _tokenPrefix = Guid.NewGuid().ToString("N") + ":";

    private RedisConnection Connection => connection;

    private TimeProvider Time => time;

    public string? UnavailableReason => connection.IsUnavailable ? "Redis coordination is unavailable" : null;

    public async ValueTask<PrefetchLease?> TryAcquireAsync(string key, TimeSpan leaseTime, CancellationToken cancellationToken = default)
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
        RedisValue tagEpoch;

        // The tag-removal epoch as the load begins, read in the same round trip (two keys in different Cluster slots,
        // so two commands rather than one script): a typed write compares it before and after HybridCache writes.
        Task<bool> set = database.StringSetAsync(leaseKey, token, leaseTime, When.NotExists);
        Task<RedisValue> epoch = database.StringGetAsync(TagEpochKey(options));
        try
        {
            // Network timeouts are wall-clock by nature, whatever TimeProvider the loop runs on.
            granted = await set.WaitObservedAsync(options.CommandTimeout, cancellationToken).ConfigureAwait(false);
            tagEpoch = await epoch.WaitObservedAsync(options.CommandTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            TaskWaits.Observe(epoch);
            if (!RedisConnection.IsOutage(exception))
            {
                throw;
            }

            connection.ReportUnavailable(exception.GetType().Name, exception);
            if (set.IsCompletedSuccessfully && set.Result)
            {
                // Granted, but without the epoch no typed write could be checked: give it back (or let it lapse).
                _ = Release(database, leaseKey, token);
            }

            return null;
        }

        connection.ReportAvailable();
        if (!granted)
        {
            connection.Metrics.LeasesDenied.Add(1);
            return null;
        }

        connection.Metrics.LeasesAcquired.Add(1);
        return new Lease(this, database, leaseKey, token, tagEpoch, leaseTime);
    }

    public async ValueTask FenceTagRemovalAsync(CancellationToken cancellationToken = default)
    {
        IDatabase? database = await connection.GetDatabaseAsync().ConfigureAwait(false);
        if (database is null)
        {
            return;
        }

        try
        {
            // Every lease read the epoch when it was granted; a typed write that finds it moved writes nothing, or undoes
            // what it wrote. Not the application's token: the fence must be in place before its removal.
            await database.StringIncrementAsync(TagEpochKey(connection.Options)).WaitObservedAsync(connection.Options.CommandTimeout, CancellationToken.None)
                .ConfigureAwait(false);
            connection.ReportAvailable();
        }
        catch (Exception exception) when (RedisConnection.IsOutage(exception))
        {
            connection.Metrics.FencesFailed.Add(1);
            connection.ReportUnavailable(exception.GetType().Name, exception);
        }
    }

    public async ValueTask FenceWriteAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        IDatabase? database = await connection.GetDatabaseAsync().ConfigureAwait(false);
        if (database is null)
        {
            return;
        }

        try
        {
            // Not the application's token: the fence must be in place before its write, whatever it cancels.
            await database.KeyDeleteAsync(LeaseKey(connection.Options, key)).WaitObservedAsync(connection.Options.CommandTimeout, CancellationToken.None)
                .ConfigureAwait(false);
            connection.ReportAvailable();
        }
        catch (Exception exception) when (RedisConnection.IsOutage(exception))
        {
            connection.Metrics.FencesFailed.Add(1);
            connection.ReportUnavailable(exception.GetType().Name, exception);
        }
    }

    public void FenceWrite(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        ValueTask<IDatabase?> pending = connection.GetDatabaseAsync();
        IDatabase? database = pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
        if (database is null)
        {
            return;
        }

        try
        {
            database.KeyDeleteAsync(LeaseKey(connection.Options, key)).WaitObserved(connection.Options.CommandTimeout);
            connection.ReportAvailable();
        }
        catch (Exception exception) when (RedisConnection.IsOutage(exception))
        {
            connection.Metrics.FencesFailed.Add(1);
            connection.ReportUnavailable(exception.GetType().Name, exception);
        }
    }

    public ValueTask ProbeAsync(CancellationToken cancellationToken = default) => connection.ProbeAsync(cancellationToken);

    /// <summary>
    /// The lease of a key, in the same Redis Cluster slot as the entry (the write script touches both): the entry key's
    /// own hash tag when it has one, otherwise the whole entry key, in braces.
    /// </summary>
    internal static RedisKey LeaseKey(RedisCoordinationOptions options, string key)
    {
        string entry = options.InstanceName + key;
        int open = entry.IndexOf('{', StringComparison.Ordinal);
        int close = open < 0 ? -1 : entry.IndexOf('}', open + 1);
        return close > open + 1
            ? options.LeaseKeyPrefix + "{" + entry[(open + 1)..close] + "}" + entry
            : options.LeaseKeyPrefix + "{" + entry + "}";
    }

    /// <summary>
    /// The counter every HybridCache tag removal through any instance increments (<see cref="FenceTagRemovalAsync"/>): one
    /// key per <see cref="RedisCoordinationOptions.InstanceName"/>, whatever the number of tags.
    /// </summary>
    internal static RedisKey TagEpochKey(RedisCoordinationOptions options) => options.LeaseKeyPrefix + "tag-epoch:" + options.InstanceName;

    private static async Task Release(IDatabase database, RedisKey leaseKey, string token)
    {
        try
        {
            await database.ScriptEvaluateAsync(ReleaseScript, [leaseKey], [token]).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Not awaited by anyone, so nothing may escape; unreleased, it lapses by itself after its lease time.
        }
    }

    /// <summary>The hash fields and key expiry <c>RedisCache</c> writes for <paramref name="options"/> at <paramref name="now"/>.</summary>
    internal static (long AbsoluteTicks, long SlidingTicks, long TimeToLiveMilliseconds) EntryLayout(DistributedCacheEntryOptions options, DateTimeOffset now)
    {
        DateTimeOffset? absolute = options.AbsoluteExpiration;
        if (options.AbsoluteExpirationRelativeToNow is { } relative)
        {
            // Saturate: a relative expiry past the end of the calendar means "never", not an overflow.
            DateTimeOffset fromRelative = relative.Ticks >= DateTimeOffset.MaxValue.UtcTicks - now.UtcTicks ? DateTimeOffset.MaxValue : now + relative;
            absolute = absolute is { } given && given < fromRelative ? given : fromRelative;
        }

        if (absolute is { } expiry && expiry <= now)
        {
            throw new ArgumentOutOfRangeException(nameof(options), expiry, "The absolute expiration value must be in the future.");
        }

        TimeSpan? sliding = options.SlidingExpiration;
        double? ttl = null;
        if (absolute is { } until)
        {
            ttl = (until - now).TotalMilliseconds;
        }

        if (sliding is { } window && (ttl is null || window.TotalMilliseconds < ttl))
        {
            ttl = window.TotalMilliseconds;
        }

        long milliseconds = ttl is { } value ? (long)Math.Clamp(Math.Ceiling(value), 1, MaxTimeToLiveMilliseconds) : 0;
        return (absolute?.UtcTicks ?? NotPresent, sliding?.Ticks ?? NotPresent, milliseconds);
    }

    private sealed class Lease(RedisPrefetchCoordinator owner, IDatabase database, RedisKey leaseKey, string token, RedisValue tagEpoch, TimeSpan leaseTime)
        : PrefetchLease
    {
        private int _released;

        public override async ValueTask<bool> TryWriteAsync(IDistributedCache cache, string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(cache);
            ArgumentNullException.ThrowIfNull(value);
            ArgumentNullException.ThrowIfNull(options);
            RedisCoordinationOptions coordination = owner.Connection.Options;
            TimeSpan timeout = coordination.CommandTimeout;
            try
            {
                if (cache is RedisCache)
                {
                    // The check, the write and the release in one step in Redis: nothing can come between them.
                    (long absolute, long sliding, long ttl) = EntryLayout(options, owner.Time.GetUtcNow());
                    RedisKey entryKey = coordination.InstanceName + key;
                    RedisResult written = await database.ScriptEvaluateAsync(WriteScript, [leaseKey, entryKey], [token, absolute, sliding, value, ttl])
                        .WaitObservedAsync(timeout, cancellationToken).ConfigureAwait(false);
                    Interlocked.Exchange(ref _released, 1);
                    return Settle((long)written == 1);
                }

                // Another cache behind coordination: claim (check and release) first, then write through it. A write
                // through another instance between the two can still be overwritten; see docs/redis.md.
                RedisResult claimed = await database.ScriptEvaluateAsync(ReleaseScript, [leaseKey], [token]).WaitObservedAsync(timeout, cancellationToken)
                    .ConfigureAwait(false);
                Interlocked.Exchange(ref _released, 1);
                if (!Settle((long)claimed == 1))
                {
                    return false;
                }

                await cache.SetAsync(key, value, options, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (Exception exception) when (RedisConnection.IsOutage(exception))
            {
                owner.Connection.ReportUnavailable(exception.GetType().Name, exception);
                throw;
            }
        }

        public override async ValueTask<bool> TryWriteAsync<TState>(
            string key,
            TState state,
            Func<TState, CancellationToken, ValueTask> write,
            Func<TState, CancellationToken, ValueTask> undo,
            CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(write);
            ArgumentNullException.ThrowIfNull(undo);
            RedisCoordinationOptions options = owner.Connection.Options;

            // HybridCache writes its L2 itself, so the write cannot be part of a script. Before it: the lease is still
            // ours (no application write or removal of the key through any instance deleted it) and no tag removal moved
            // the epoch; the lease is renewed to last the write, so no other instance loads the key meanwhile.
            try
            {
                long renewMilliseconds = Math.Max(1, (long)Math.Ceiling(leaseTime.TotalMilliseconds));
                Task<RedisResult> renewed = database.ScriptEvaluateAsync(RenewScript, [leaseKey], [token, renewMilliseconds]);
                Task<RedisValue> epoch = database.StringGetAsync(TagEpochKey(options));
                bool held;
                RedisValue epochBefore;
                try
                {
                    held = (long)await renewed.WaitObservedAsync(options.CommandTimeout, cancellationToken).ConfigureAwait(false) == 1;
                    epochBefore = await epoch.WaitObservedAsync(options.CommandTimeout, cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    TaskWaits.Observe(epoch);
                    throw;
                }

                if (!Settle(held && epochBefore == tagEpoch))
                {
                    // A lease still held is released by DisposeAsync.
                    return false;
                }
            }
            catch (Exception exception) when (RedisConnection.IsOutage(exception))
            {
                owner.Connection.ReportUnavailable(exception.GetType().Name, exception);
                throw;
            }

            await write(state, cancellationToken).ConfigureAwait(false);

            // After it: released while still ours and the epoch unmoved means every fence set since came after the write
            // completed, so the application's write, removal or tag removal lands over the prefetch. Otherwise a fence came
            // between the two checks, before or after HybridCache's L2 write: the value is taken back out (an extra miss,
            // never a value older than the application's).
            bool stands;
            Task<RedisResult> released = database.ScriptEvaluateAsync(ReleaseScript, [leaseKey], [token]);
            Task<RedisValue> epochAfter = database.StringGetAsync(TagEpochKey(options));
            try
            {
                // Not the shutdown token: a written value is confirmed or undone, bounded by CommandTimeout.
                bool releasedOwn = (long)await released.WaitObservedAsync(options.CommandTimeout, CancellationToken.None).ConfigureAwait(false) == 1;
                Interlocked.Exchange(ref _released, 1);
                RedisValue epochNow = await epochAfter.WaitObservedAsync(options.CommandTimeout, CancellationToken.None).ConfigureAwait(false);
                stands = releasedOwn && epochNow == tagEpoch;
                owner.Connection.ReportAvailable();
            }
            catch (Exception exception) when (RedisConnection.IsOutage(exception))
            {
                // Unconfirmed: undone like a fenced one (an unreleased lease lapses by itself).
                TaskWaits.Observe(epochAfter);
                owner.Connection.ReportUnavailable(exception.GetType().Name, exception);
                stands = false;
            }

            if (stands)
            {
                return true;
            }

            await undo(state, cancellationToken).ConfigureAwait(false);
            owner.Connection.Metrics.WritesUndone.Add(1);
            return false;
        }

        public override async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0)
            {
                return;
            }

            try
            {
                await database.ScriptEvaluateAsync(ReleaseScript, [leaseKey], [token]).WaitObservedAsync(owner.Connection.Options.CommandTimeout, CancellationToken.None)
                    .ConfigureAwait(false);
            }
            catch (Exception exception) when (RedisConnection.IsOutage(exception))
            {
                // Unreleased, the lease lapses by itself after its lease time.
            }
        }

        private bool Settle(bool written)
        {
            owner.Connection.ReportAvailable();
            if (!written)
            {
                owner.Connection.Metrics.WritesFenced.Add(1);
            }

            return written;
        }
    }
}
