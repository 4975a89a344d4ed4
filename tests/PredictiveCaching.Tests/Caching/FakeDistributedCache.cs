using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Distributed;

namespace PredictiveCaching.Tests.Caching;

/// <summary>
/// A dictionary-backed cache that can complete its async members asynchronously and fail on demand, so the
/// decorator's slow paths (awaiting the inner task) can be exercised without timing.
/// </summary>
public class FakeDistributedCache : IDistributedCache, IDisposable
{
    private readonly ConcurrentDictionary<string, byte[]> _values = new(StringComparer.Ordinal);

    /// <summary>When set, async members yield before doing their work, so the returned task is not yet complete.</summary>
    public bool CompleteAsynchronously { get; set; }

    /// <summary>When set, every member throws (sync) or faults (async) with this exception.</summary>
    public Exception? Failure { get; set; }

    public bool IsDisposed { get; private set; }

    public byte[]? Get(string key)
    {
        Enter(key);
        return _values.TryGetValue(key, out byte[]? value) ? value : null;
    }

    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        await BeginAsync(key, token);
        return _values.TryGetValue(key, out byte[]? value) ? value : null;
    }

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options)
    {
        Enter(key);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(options);
        _values[key] = value;
    }

    public async Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        await BeginAsync(key, token);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(options);
        _values[key] = value;
    }

    public void Refresh(string key) => Enter(key);

    public async Task RefreshAsync(string key, CancellationToken token = default) => await BeginAsync(key, token);

    public void Remove(string key)
    {
        Enter(key);
        _values.TryRemove(key, out _);
    }

    public async Task RemoveAsync(string key, CancellationToken token = default)
    {
        await BeginAsync(key, token);
        _values.TryRemove(key, out _);
    }

    public void Dispose()
    {
        IsDisposed = true;
        GC.SuppressFinalize(this);
    }

    protected void Enter(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (Failure is not null)
        {
            throw Failure;
        }
    }

    protected async ValueTask BeginAsync(string key, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (CompleteAsynchronously)
        {
            await Task.Yield();
        }

        token.ThrowIfCancellationRequested();
        Enter(key);
    }

    protected bool TryGetStored(string key, out byte[]? value) => _values.TryGetValue(key, out value);

    protected void Store(string key, byte[] value) => _values[key] = value;
}
