namespace PredictiveCaching.Prefetching;

/// <summary>
/// Coordinates prefetches across application instances that share one cache: a key predicted by several of them is
/// loaded from its origin by one, and no prefetched value lands after an application write or removal of the same key
/// made through any of them. The default grants every request without I/O (a single instance, fenced in process);
/// <c>PredictiveCaching.Redis</c> grants one lease per key across instances and makes prefetch writes conditional in Redis.
/// </summary>
/// <remarks>
/// Called on background threads before each load, and by the decorator before each application write or removal.
/// Implementations handle their own failures: when coordination is unavailable they deny (prefetching pauses) rather
/// than throw; an exception counts as a denial.
/// </remarks>
public interface IPrefetchCoordinator
{
    /// <summary>
    /// Gets why coordination cannot work right now (its store is unreachable), or <see langword="null"/> when it can.
    /// While it is not <see langword="null"/>, prefetch cycles pause with this reason, call <see cref="ProbeAsync"/>, and
    /// the health check is degraded.
    /// </summary>
    string? UnavailableReason { get; }

    /// <summary>Tries to take the right to load <paramref name="key"/> from its origin and write it.</summary>
    /// <param name="key">The cache key about to be prefetched.</param>
    /// <param name="leaseTime">
    /// How long the right lasts at most; it lapses by itself after that even when never released (a holder that died).
    /// </param>
    /// <param name="cancellationToken">Cancelled on shutdown.</param>
    /// <returns>
    /// A lease to write the value through and dispose once written (or given up), or <see langword="null"/> when another
    /// instance holds the key or coordination is unavailable: the key is then skipped.
    /// </returns>
    ValueTask<PrefetchLease?> TryAcquireAsync(string key, TimeSpan leaseTime, CancellationToken cancellationToken = default);

    /// <summary>
    /// Called by the predictive decorator before an application write or removal of <paramref name="key"/> reaches the
    /// cache: every lease on the key granted before this call must then fail its <see cref="PrefetchLease.TryWriteAsync"/>
    /// (a typed write already under way, <see cref="PrefetchLease.TryWriteAsync{TState}"/>, is undone).
    /// Never throws; on failure the coordinator reports itself unavailable. The default does nothing (one instance).
    /// </summary>
    /// <param name="key">The key the application is about to write or remove.</param>
    /// <param name="cancellationToken">Not used by the built-in coordinators, which bound the call by their own timeout.</param>
    /// <returns>A task that completes once the fence is in place.</returns>
    ValueTask FenceWriteAsync(string key, CancellationToken cancellationToken = default) => default;

    /// <summary>The synchronous form of <see cref="FenceWriteAsync"/>, for the cache's synchronous members.</summary>
    /// <param name="key">The key the application is about to write or remove.</param>
    void FenceWrite(string key)
    {
    }

    /// <summary>
    /// Called by the HybridCache decorator before an application <c>RemoveByTagAsync</c> reaches HybridCache: every typed
    /// write (<see cref="PrefetchLease.TryWriteAsync{TState}"/>) through a lease granted before this call must then be
    /// refused, or undone when it was already under way. Never throws; on failure the coordinator reports itself
    /// unavailable. The default does nothing (one instance: the decorator fences tag removals in process).
    /// </summary>
    /// <remarks>
    /// The fence is not per tag: an entry carries the tags of its last write, which the decorator never sees (a typed
    /// source's tags need not be the ones the application wrote the key with), and <c>"*"</c> covers every key. So a tag
    /// removal through any instance fences every typed prefetch in flight on every instance; it costs those prefetches,
    /// never a read.
    /// </remarks>
    /// <param name="cancellationToken">Not used by the built-in coordinators, which bound the call by their own timeout.</param>
    /// <returns>A task that completes once the fence is in place.</returns>
    ValueTask FenceTagRemovalAsync(CancellationToken cancellationToken = default) => default;

    /// <summary>
    /// Called by each prefetch cycle while <see cref="UnavailableReason"/> is set, so that coordination can find out that
    /// its store is back even when nothing else talks to it (a hang ends without a reconnection event). Implementations
    /// back off between probes. The default does nothing.
    /// </summary>
    /// <param name="cancellationToken">Cancelled on shutdown.</param>
    /// <returns>A task that completes when the probe, if one was due, has ended.</returns>
    ValueTask ProbeAsync(CancellationToken cancellationToken = default) => default;
}
