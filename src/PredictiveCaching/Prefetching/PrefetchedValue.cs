using Microsoft.Extensions.Caching.Distributed;

namespace PredictiveCaching.Prefetching;

/// <summary>A value loaded from the origin, with the entry options to write it with.</summary>
public sealed class PrefetchedValue
{
    /// <summary>Initializes a new instance of the <see cref="PrefetchedValue"/> class.</summary>
    /// <param name="value">The bytes to cache.</param>
    /// <param name="options">
    /// How long to keep them; <see langword="null"/> reuses the time to live of the application's last write of the key
    /// (and no expiry when none is known).
    /// </param>
    public PrefetchedValue(byte[] value, DistributedCacheEntryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(value);
        Value = value;
        Options = options;
    }

    /// <summary>A typed value, written through HybridCache rather than as bytes (<c>AddHybridSource</c>).</summary>
    internal PrefetchedValue(HybridPrefetchValue typed)
    {
        Value = [];
        Typed = typed;
    }

    /// <summary>Gets the bytes to cache (empty for a typed value).</summary>
    public byte[] Value { get; }

    /// <summary>Gets the entry options, or <see langword="null"/> to reuse the key's last known time to live.</summary>
    public DistributedCacheEntryOptions? Options { get; }

    /// <summary>Gets the typed value to write through HybridCache, or <see langword="null"/> for bytes.</summary>
    internal HybridPrefetchValue? Typed { get; }
}
