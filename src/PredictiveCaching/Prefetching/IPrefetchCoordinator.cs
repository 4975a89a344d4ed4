namespace PredictiveCaching.Prefetching;

/// <summary>
/// Coordinates prefetches across application instances that share one cache, so that a key predicted by several of
/// them is loaded from its origin by one. The default grants every request without I/O (a single instance);
/// <c>PredictiveCaching.Redis</c> grants one lease per key across instances.
/// </summary>
/// <remarks>
/// Called on background threads before each load. Implementations handle their own failures: when coordination is
/// unavailable they deny (prefetching pauses) rather than throw; an exception counts as a denial.
/// </remarks>
public interface IPrefetchCoordinator
{
    /// <summary>
    /// Gets why coordination cannot work right now (its store is unreachable), or <see langword="null"/> when it can.
    /// While it is not <see langword="null"/>, prefetch cycles pause with this reason and the health check is degraded.
    /// </summary>
    string? UnavailableReason { get; }

    /// <summary>Tries to take the right to load <paramref name="key"/> from its origin and write it.</summary>
    /// <param name="key">The cache key about to be prefetched.</param>
    /// <param name="leaseTime">
    /// How long the right lasts at most; it lapses by itself after that even when never released (a holder that died).
    /// </param>
    /// <param name="cancellationToken">Cancelled on shutdown.</param>
    /// <returns>
    /// A lease to dispose once the value is written (or given up), or <see langword="null"/> when another instance holds
    /// the key or coordination is unavailable: the key is then skipped.
    /// </returns>
    ValueTask<IAsyncDisposable?> TryAcquireAsync(string key, TimeSpan leaseTime, CancellationToken cancellationToken = default);
}
