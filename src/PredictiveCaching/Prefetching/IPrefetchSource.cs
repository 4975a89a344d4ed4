namespace PredictiveCaching.Prefetching;

/// <summary>Loads a key's value from its origin (a database, a service) so that it can be written ahead of its read.</summary>
public interface IPrefetchSource
{
    /// <summary>Returns whether this source knows how to load <paramref name="key"/>. Called on background threads only.</summary>
    /// <param name="key">The cache key.</param>
    /// <returns><see langword="true"/> when <see cref="LoadAsync"/> may be called for the key.</returns>
    bool CanLoad(string key);

    /// <summary>Loads the value of <paramref name="key"/> from the origin.</summary>
    /// <param name="key">The cache key.</param>
    /// <param name="cancellationToken">
    /// Cancelled on timeout and on shutdown. A write or removal of the key by the application while the load runs does not
    /// cancel it: the loaded value is then simply not written (the key is fenced), so the load's only cost is the origin's.
    /// </param>
    /// <returns>The value and how long to keep it, or <see langword="null"/> when the origin has nothing for the key.</returns>
    ValueTask<PrefetchedValue?> LoadAsync(string key, CancellationToken cancellationToken = default);
}
