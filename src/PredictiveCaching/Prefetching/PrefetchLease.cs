using Microsoft.Extensions.Caching.Distributed;

namespace PredictiveCaching.Prefetching;

/// <summary>
/// The right, granted by an <see cref="IPrefetchCoordinator"/>, to load one key from its origin and write it into the
/// cache. Dispose it once the value is written or given up; it lapses by itself after its lease time.
/// </summary>
/// <remarks>
/// The write goes through the lease so that a coordinator can make it conditional where the cache lives: a prefetched
/// value must not land after an application write or removal of the same key that happened after the load began,
/// through this instance or any other. The default writes through the cache unconditionally, which is enough for one
/// instance: there the decorator fences application writes against prefetches in process.
/// </remarks>
public abstract class PrefetchLease : IAsyncDisposable
{
    /// <summary>Writes the prefetched value unless an application write or removal of the key has superseded it.</summary>
    /// <param name="cache">The application's cache, below the predictive decorator (the write is not recorded as the application's).</param>
    /// <param name="key">The key.</param>
    /// <param name="value">The value loaded from the origin.</param>
    /// <param name="options">The entry options to write it with.</param>
    /// <param name="cancellationToken">Cancelled on shutdown.</param>
    /// <returns>
    /// <see langword="true"/> when the value was written; <see langword="false"/> when it was not, because the key was
    /// written or removed by the application since the lease was granted, or the lease lapsed.
    /// </returns>
    public virtual async ValueTask<bool> TryWriteAsync(IDistributedCache cache, string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cache);
        await cache.SetAsync(key, value, options, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Runs a write the cache makes itself (a typed value written through <c>HybridCache.SetAsync</c>, which writes its L2
    /// on its own) unless an application write, removal or tag removal has superseded the lease; and, when one came while
    /// the write was under way, runs <paramref name="undo"/> so that the value does not stay over it.
    /// </summary>
    /// <typeparam name="TState">The write's state.</typeparam>
    /// <param name="key">The key.</param>
    /// <param name="state">Passed to <paramref name="write"/> and <paramref name="undo"/>.</param>
    /// <param name="write">Writes the value.</param>
    /// <param name="undo">Removes what <paramref name="write"/> wrote (the key, below the predictive decorator).</param>
    /// <param name="cancellationToken">Cancelled on shutdown.</param>
    /// <returns>
    /// <see langword="true"/> when the value was written and stands; <see langword="false"/> when it was not written, or
    /// was written and then undone.
    /// </returns>
    /// <remarks>
    /// The write cannot be part of a conditional script, so a coordinator checks the lease before it and again after it:
    /// a fence set between the two checks may have come before or after the cache's own write, so the value is undone
    /// (an extra miss, never a value older than the application's). The default writes unconditionally and never undoes,
    /// which is enough for one instance, where the decorator fences in process.
    /// </remarks>
    public virtual async ValueTask<bool> TryWriteAsync<TState>(
        string key,
        TState state,
        Func<TState, CancellationToken, ValueTask> write,
        Func<TState, CancellationToken, ValueTask> undo,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        ArgumentNullException.ThrowIfNull(undo);
        await write(state, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Gives the right back; a lease that cannot be released lapses by itself after its lease time.</summary>
    /// <returns>A task that completes when the lease is released.</returns>
    public abstract ValueTask DisposeAsync();
}
