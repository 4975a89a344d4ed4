using Microsoft.Extensions.Caching.Distributed;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Caching;

/// <summary>
/// An <see cref="IDistributedCache"/> that delegates every call to the application's cache and records what it sees,
/// so that the keys about to be read can be predicted and loaded ahead of time.
/// </summary>
/// <remarks>
/// Every member has the inner cache's observable behaviour: the same results, the same exceptions, the same
/// cancellation. The event is recorded after the inner call succeeds; recording never waits on prediction,
/// probes or prefetching. When the inner cache implements <see cref="IBufferDistributedCache"/>, the instance
/// resolved from dependency injection implements it too, so HybridCache keeps its buffer path.
/// </remarks>
public class PredictiveDistributedCache : IDistributedCache, IDisposable
{
    private readonly IDistributedCache _inner;
    private readonly AccessRecorder _recorder;
    private readonly bool _ownsInner;

    internal PredictiveDistributedCache(IDistributedCache inner, AccessRecorder recorder, bool ownsInner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(recorder);
        _inner = inner;
        _recorder = recorder;
        _ownsInner = ownsInner;
    }

    /// <summary>Gets the cache this instance decorates.</summary>
    public IDistributedCache InnerCache => _inner;

    private protected AccessRecorder Recorder => _recorder;

    /// <inheritdoc />
    public byte[]? Get(string key)
    {
        byte[]? value = _inner.Get(key);

        // A null key is the inner cache's to judge; one that accepts it leaves nothing to record.
        if (key is not null)
        {
            _recorder.Read(key, value);
        }

        return value;
    }

    /// <inheritdoc />
    public Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        Task<byte[]?> pending = _inner.GetAsync(key, token);
        if (key is null)
        {
            return pending;
        }

        if (pending.IsCompletedSuccessfully)
        {
            // Hand back the inner task itself: no state machine, no second task for a synchronous hit.
            _recorder.Read(key, pending.Result);
            return pending;
        }

        return AwaitGet(pending, key);
    }

    /// <inheritdoc />
    public void Set(string key, byte[] value, DistributedCacheEntryOptions options)
    {
        if (key is null || value is null)
        {
            // Whatever the inner cache does with null arguments is the outcome; there is no write to track.
            _inner.Set(key!, value!, options);
            return;
        }

        (KeyAccessStatistics entry, Task? prefetchWrite) = _recorder.BeginWrite(key);
        HybridFraming.MarkIfFramed(entry, value);
        try
        {
            _recorder.Fence(key);

            // Only when a prefetch is writing this very key: wait for it so the application's value lands last.
            prefetchWrite?.GetAwaiter().GetResult();
            _inner.Set(key, value, options);
        }
        catch
        {
            AccessRecorder.AbortWrite(entry);
            throw;
        }

        _recorder.EndWrite(entry, value.LongLength, options);
    }

    /// <inheritdoc />
    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        if (key is null || value is null)
        {
            return _inner.SetAsync(key!, value!, options, token);
        }

        (KeyAccessStatistics entry, Task? prefetchWrite) = _recorder.BeginWrite(key);
        HybridFraming.MarkIfFramed(entry, value);
        ValueTask fence = _recorder.FenceAsync(key);
        if (prefetchWrite is not null || !fence.IsCompletedSuccessfully)
        {
            return SetAfterFenceAsync(fence, prefetchWrite, entry, key, value, options, token);
        }

        Task pending;
        try
        {
            pending = _inner.SetAsync(key, value, options, token);
        }
        catch
        {
            AccessRecorder.AbortWrite(entry);
            throw;
        }

        if (pending.IsCompletedSuccessfully)
        {
            _recorder.EndWrite(entry, value.LongLength, options);
            return pending;
        }

        return AwaitSet(pending, entry, value.LongLength, options);
    }

    /// <inheritdoc />
    public void Refresh(string key)
    {
        _inner.Refresh(key);
        if (key is not null)
        {
            _recorder.Refresh(key);
        }
    }

    /// <inheritdoc />
    public Task RefreshAsync(string key, CancellationToken token = default)
    {
        Task pending = _inner.RefreshAsync(key, token);
        if (key is null)
        {
            return pending;
        }

        if (pending.IsCompletedSuccessfully)
        {
            _recorder.Refresh(key);
            return pending;
        }

        return AwaitRefresh(pending, key);
    }

    /// <inheritdoc />
    public void Remove(string key)
    {
        if (key is null)
        {
            _inner.Remove(key!);
            return;
        }

        (KeyAccessStatistics entry, Task? prefetchWrite) = _recorder.BeginWrite(key);
        try
        {
            _recorder.Fence(key);
            prefetchWrite?.GetAwaiter().GetResult();
            _inner.Remove(key);
        }
        catch
        {
            AccessRecorder.AbortWrite(entry);
            throw;
        }

        _recorder.EndRemove(entry);
    }

    /// <inheritdoc />
    public Task RemoveAsync(string key, CancellationToken token = default)
    {
        if (key is null)
        {
            return _inner.RemoveAsync(key!, token);
        }

        (KeyAccessStatistics entry, Task? prefetchWrite) = _recorder.BeginWrite(key);
        ValueTask fence = _recorder.FenceAsync(key);
        if (prefetchWrite is not null || !fence.IsCompletedSuccessfully)
        {
            return RemoveAfterFenceAsync(fence, prefetchWrite, entry, key, token);
        }

        Task pending;
        try
        {
            pending = _inner.RemoveAsync(key, token);
        }
        catch
        {
            AccessRecorder.AbortWrite(entry);
            throw;
        }

        if (pending.IsCompletedSuccessfully)
        {
            _recorder.EndRemove(entry);
            return pending;
        }

        return AwaitRemove(pending, entry);
    }

    /// <summary>Disposes the inner cache when this instance created it.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Disposes the inner cache when this instance created it.</summary>
    /// <param name="disposing"><see langword="true"/> when called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing && _ownsInner && _inner is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }

    private async Task<byte[]?> AwaitGet(Task<byte[]?> pending, string key)
    {
        byte[]? value = await pending.ConfigureAwait(false);
        _recorder.Read(key, value);
        return value;
    }

    private async Task AwaitSet(Task pending, KeyAccessStatistics entry, long size, DistributedCacheEntryOptions options)
    {
        try
        {
            await pending.ConfigureAwait(false);
        }
        catch
        {
            AccessRecorder.AbortWrite(entry);
            throw;
        }

        _recorder.EndWrite(entry, size, options);
    }

    private async Task SetAfterFenceAsync(ValueTask fence, Task? prefetchWrite, KeyAccessStatistics entry, string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token)
    {
        try
        {
            await fence.ConfigureAwait(false);
            if (prefetchWrite is not null)
            {
                await prefetchWrite.ConfigureAwait(false);
            }

            await _inner.SetAsync(key, value, options, token).ConfigureAwait(false);
        }
        catch
        {
            AccessRecorder.AbortWrite(entry);
            throw;
        }

        _recorder.EndWrite(entry, value.LongLength, options);
    }

    private async Task AwaitRefresh(Task pending, string key)
    {
        await pending.ConfigureAwait(false);
        _recorder.Refresh(key);
    }

    private async Task AwaitRemove(Task pending, KeyAccessStatistics entry)
    {
        try
        {
            await pending.ConfigureAwait(false);
        }
        catch
        {
            AccessRecorder.AbortWrite(entry);
            throw;
        }

        _recorder.EndRemove(entry);
    }

    private async Task RemoveAfterFenceAsync(ValueTask fence, Task? prefetchWrite, KeyAccessStatistics entry, string key, CancellationToken token)
    {
        try
        {
            await fence.ConfigureAwait(false);
            if (prefetchWrite is not null)
            {
                await prefetchWrite.ConfigureAwait(false);
            }

            await _inner.RemoveAsync(key, token).ConfigureAwait(false);
        }
        catch
        {
            AccessRecorder.AbortWrite(entry);
            throw;
        }

        _recorder.EndRemove(entry);
    }
}
