namespace PredictiveCaching.Prefetching;

/// <summary>
/// Reads how long the copies of keys have left to live in the shared cache, for candidates whose write this instance has
/// not seen (another instance wrote them). The default knows nothing and does no I/O; <c>PredictiveCaching.Redis</c>
/// reads the remaining time to live of a batch of keys in one pipelined round trip.
/// </summary>
/// <remarks>Called once per prefetch cycle, before scoring, with every candidate not known to be present.</remarks>
public interface IExpiryLookup
{
    /// <summary>Gets a value indicating whether lookups can find anything; when <see langword="false"/> the cycle skips them.</summary>
    bool IsEnabled { get; }

    /// <summary>Reads the remaining time to live of the copies of <paramref name="keys"/>.</summary>
    /// <param name="keys">The cache keys, as the application names them.</param>
    /// <param name="remaining">
    /// Receives, at the index of each key: its remaining time to live; <see cref="Timeout.InfiniteTimeSpan"/> when the copy
    /// never expires; <see langword="null"/> when there is no copy or it is unknown (for example, the cache is unreachable).
    /// Its length is at least that of <paramref name="keys"/>.
    /// </param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>A task that completes when <paramref name="remaining"/> is filled.</returns>
    ValueTask LookupAsync(IReadOnlyList<string> keys, Memory<TimeSpan?> remaining, CancellationToken cancellationToken = default);
}
