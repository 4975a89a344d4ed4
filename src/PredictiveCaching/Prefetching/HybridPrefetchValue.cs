using Microsoft.Extensions.Caching.Hybrid;

namespace PredictiveCaching.Prefetching;

/// <summary>
/// An object loaded by a typed source, written through <see cref="HybridCache.SetAsync{T}"/> so that HybridCache frames,
/// serializes and stores it in L1 and L2 exactly as its own factory would.
/// </summary>
internal abstract class HybridPrefetchValue(HybridCacheEntryOptions? options, string[]? tags, object? serviceKey)
{
    /// <summary>Gets the service key of the keyed HybridCache to write through, or <see langword="null"/> for the default one.</summary>
    public object? ServiceKey { get; } = serviceKey;

    /// <summary>Gets the entry options the source gave, or <see langword="null"/> to reuse the key's last known time to live.</summary>
    public HybridCacheEntryOptions? Options { get; } = options;

    public string[]? Tags { get; } = tags;

    public abstract ValueTask WriteAsync(HybridCache cache, string key, HybridCacheEntryOptions options, CancellationToken cancellationToken);
}

internal sealed class HybridPrefetchValue<T>(T value, HybridCacheEntryOptions? options, string[]? tags, object? serviceKey = null) : HybridPrefetchValue(options, tags, serviceKey)
{
    public override ValueTask WriteAsync(HybridCache cache, string key, HybridCacheEntryOptions options, CancellationToken cancellationToken) =>
        cache.SetAsync(key, value, options, Tags, cancellationToken);
}
