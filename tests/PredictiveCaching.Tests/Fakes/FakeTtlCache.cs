using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Distributed;

namespace PredictiveCaching.Tests.Fakes;

/// <summary>An in-memory IDistributedCache that honours expiry against a TimeProvider, with hooks to slow writes down.</summary>
internal sealed class FakeTtlCache(TimeProvider time) : IDistributedCache
{
    private readonly ConcurrentDictionary<string, Item> _items = new(StringComparer.Ordinal);

    /// <summary>Called before every write; a test can return a task that holds the write back.</summary>
    public Func<string, byte[], Task>? BeforeSet { get; set; }

    public int Count => _items.Count;

    public byte[]? Peek(string key) => TryGetLive(key, out Item item) ? item.Value : null;

    public byte[]? Get(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!TryGetLive(key, out Item item))
        {
            return null;
        }

        if (item.Sliding is { } sliding)
        {
            _items[key] = item with { SlidingExpiry = time.GetUtcNow() + sliding };
        }

        return item.Value;
    }

    public Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        token.ThrowIfCancellationRequested();
        return Task.FromResult(Get(key));
    }

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) =>
        SetAsync(key, value, options).GetAwaiter().GetResult();

    public async Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(options);
        if (BeforeSet is { } hook)
        {
            await hook(key, value);
        }

        DateTimeOffset now = time.GetUtcNow();
        DateTimeOffset? absolute = options.AbsoluteExpiration;
        if (options.AbsoluteExpirationRelativeToNow is { } relative)
        {
            absolute = now + relative;
        }

        _items[key] = new Item(value, absolute, options.SlidingExpiration, options.SlidingExpiration is { } s ? now + s : null);
    }

    public void Refresh(string key) => Get(key);

    public Task RefreshAsync(string key, CancellationToken token = default)
    {
        Get(key);
        return Task.CompletedTask;
    }

    public void Remove(string key) => _items.TryRemove(key, out _);

    public Task RemoveAsync(string key, CancellationToken token = default)
    {
        Remove(key);
        return Task.CompletedTask;
    }

    private bool TryGetLive(string key, out Item item)
    {
        if (!_items.TryGetValue(key, out item!))
        {
            return false;
        }

        DateTimeOffset now = time.GetUtcNow();
        if ((item.Absolute is { } a && a <= now) || (item.SlidingExpiry is { } s && s <= now))
        {
            _items.TryRemove(new KeyValuePair<string, Item>(key, item));
            return false;
        }

        return true;
    }

    private sealed record Item(byte[] Value, DateTimeOffset? Absolute, TimeSpan? Sliding, DateTimeOffset? SlidingExpiry);
}
