using Microsoft.Extensions.Caching.Distributed;

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
        _recorder.Read(key, value);
        return value;
    }

    /// <inheritdoc />
    public Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        Task<byte[]?> pending = _inner.GetAsync(key, token);
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
        _inner.Set(key, value, options);
        _recorder.Write(key, value.LongLength, options);
    }

    /// <inheritdoc />
    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        Task pending = _inner.SetAsync(key, value, options, token);
        if (pending.IsCompletedSuccessfully)
        {
            _recorder.Write(key, value.LongLength, options);
            return pending;
        }

        return AwaitSet(pending, key, value.LongLength, options);
    }

    /// <inheritdoc />
    public void Refresh(string key)
    {
        _inner.Refresh(key);
        _recorder.Refresh(key);
    }

    /// <inheritdoc />
    public Task RefreshAsync(string key, CancellationToken token = default)
    {
        Task pending = _inner.RefreshAsync(key, token);
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
        _inner.Remove(key);
        _recorder.Remove(key);
    }

    /// <inheritdoc />
    public Task RemoveAsync(string key, CancellationToken token = default)
    {
        Task pending = _inner.RemoveAsync(key, token);
        if (pending.IsCompletedSuccessfully)
        {
            _recorder.Remove(key);
            return pending;
        }

        return AwaitRemove(pending, key);
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

    private async Task AwaitSet(Task pending, string key, long size, DistributedCacheEntryOptions options)
    {
        await pending.ConfigureAwait(false);
        _recorder.Write(key, size, options);
    }

    private async Task AwaitRefresh(Task pending, string key)
    {
        await pending.ConfigureAwait(false);
        _recorder.Refresh(key);
    }

    private async Task AwaitRemove(Task pending, string key)
    {
        await pending.ConfigureAwait(false);
        _recorder.Remove(key);
    }
}
