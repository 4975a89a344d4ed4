using System.Diagnostics;
using PredictiveCaching.Prefetching;
using StackExchange.Redis;

namespace PredictiveCaching.Redis.Coordination;

/// <summary>
/// Reads the remaining time to live of candidate keys with <c>PTTL</c>, pipelined in batches of
/// <see cref="RedisCoordinationOptions.LookupBatchSize"/>: one round trip per batch instead of one per key.
/// <c>RedisCache</c> keeps an entry as a hash under <c>InstanceName + key</c> whose key-level expiry is the entry's,
/// so <c>PTTL</c> on it is the entry's remaining life (-2: no entry, -1: no expiry).
/// </summary>
internal sealed class RedisExpiryLookup(RedisConnection connection) : IExpiryLookup
{
    public bool IsEnabled => connection.Options.LookupExpiries;

    public async ValueTask LookupAsync(IReadOnlyList<string> keys, Memory<TimeSpan?> remaining, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentOutOfRangeException.ThrowIfLessThan(remaining.Length, keys.Count);
        remaining.Span[..keys.Count].Clear();
        IDatabase? database = await connection.GetDatabaseAsync().ConfigureAwait(false);
        if (database is null || keys.Count == 0)
        {
            return;
        }

        RedisCoordinationOptions options = connection.Options;
        long started = Stopwatch.GetTimestamp();
        var pending = new Task<RedisResult>[Math.Min(keys.Count, options.LookupBatchSize)];
        try
        {
            for (int offset = 0; offset < keys.Count; offset += pending.Length)
            {
                int count = Math.Min(pending.Length, keys.Count - offset);
                IBatch batch = database.CreateBatch();
                for (int i = 0; i < count; i++)
                {
                    pending[i] = batch.ExecuteAsync("PTTL", (RedisKey)(options.InstanceName + keys[offset + i]));
                }

                batch.Execute();
                // WhenAll observes each command it completes with, so observing it covers the batch when the wait gives up.
                await Task.WhenAll(pending.AsSpan(0, count)).WaitObservedAsync(options.CommandTimeout, cancellationToken).ConfigureAwait(false);
                Span<TimeSpan?> results = remaining.Span;
                for (int i = 0; i < count; i++)
                {
                    results[offset + i] = ToRemaining((long)pending[i].Result);
                }
            }
        }
        catch (Exception exception) when (RedisConnection.IsOutage(exception))
        {
            // What was not read stays unknown; the candidates are then judged as without a lookup.
            connection.ReportUnavailable(exception.GetType().Name, exception);
            return;
        }

        connection.ReportAvailable();
        connection.Metrics.KeysLookedUp.Add(keys.Count);
        connection.Metrics.LookupDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    internal static TimeSpan? ToRemaining(long milliseconds) => milliseconds switch
    {
        -1 => Timeout.InfiniteTimeSpan,
        < 0 => null,
        _ => TimeSpan.FromMilliseconds(milliseconds),
    };
}
