using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Distributed;

namespace PredictiveCaching.Tests.Caching;

/// <summary>
/// A dictionary-backed cache that can hold its async members until released and fail on demand, so the decorator's
/// slow paths (awaiting the inner task) are exercised deterministically, without timing.
/// </summary>
public class FakeDistributedCache : IDistributedCache, IDisposable
{
    private readonly ConcurrentDictionary<string, byte[]> _values = new(StringComparer.Ordinal);
    private TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>When set, async members wait for <see cref="ReleaseHeldCalls"/>, so the returned task is not yet complete.</summary>
    public bool HoldAsyncCalls { get; set; }

    /// <summary>Lets every held async call go on; later calls are held again.</summary>
    public void ReleaseHeldCalls() =>
        Interlocked.Exchange(ref _gate, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).SetResult();

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
        if (HoldAsyncCalls)
        {
            await Volatile.Read(ref _gate).Task.ConfigureAwait(false);
        }

        token.ThrowIfCancellationRequested();
        Enter(key);
    }

    protected bool TryGetStored(string key, out byte[]? value) => _values.TryGetValue(key, out value);

    protected void Store(string key, byte[] value) => _values[key] = value;
}
