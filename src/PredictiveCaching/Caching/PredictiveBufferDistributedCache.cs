using System.Buffers;
using Microsoft.Extensions.Caching.Distributed;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Caching;

/// <summary>
/// The predictive decorator over a cache that implements <see cref="IBufferDistributedCache"/>: HybridCache then
/// reads and writes through buffers without copying, and the reads are still recorded.
/// </summary>
/// <remarks>
/// A buffer read writes into the caller's <see cref="IBufferWriter{T}"/>, whose written length is not observable in
/// general; such a read records a hit or miss and keeps the size learned from the last write.
/// </remarks>
internal sealed class PredictiveBufferDistributedCache : PredictiveDistributedCache, IBufferDistributedCache
{
    private readonly IBufferDistributedCache _bufferInner;

    public PredictiveBufferDistributedCache(IBufferDistributedCache inner, AccessRecorder recorder, bool ownsInner)
        : base(inner, recorder, ownsInner)
    {
        _bufferInner = inner;
    }

    public bool TryGet(string key, IBufferWriter<byte> destination)
    {
        bool hit = _bufferInner.TryGet(key, destination);
        if (key is not null)
        {
            Recorder.Read(key, hit, -1);
        }

        return hit;
    }

    public ValueTask<bool> TryGetAsync(string key, IBufferWriter<byte> destination, CancellationToken token = default)
    {
        ValueTask<bool> pending = _bufferInner.TryGetAsync(key, destination, token);
        if (key is null)
        {
            return pending;
        }

        if (pending.IsCompletedSuccessfully)
        {
            bool hit = pending.Result;
            Recorder.Read(key, hit, -1);
            return new ValueTask<bool>(hit);
        }

        return AwaitTryGet(pending, key);
    }

    public void Set(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options)
    {
        if (key is null)
        {
            _bufferInner.Set(key!, value, options);
            return;
        }

        (KeyAccessStatistics entry, Task? prefetchWrite) = Recorder.BeginWrite(key);
        HybridFraming.MarkIfFramed(entry, value);
        try
        {
            Recorder.Fence(key);
            prefetchWrite?.GetAwaiter().GetResult();
            _bufferInner.Set(key, value, options);
        }
        catch
        {
            AccessRecorder.AbortWrite(entry);
            throw;
        }

        Recorder.EndWrite(entry, value.Length, options);
    }

    public ValueTask SetAsync(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        if (key is null)
        {
            return _bufferInner.SetAsync(key!, value, options, token);
        }

        (KeyAccessStatistics entry, Task? prefetchWrite) = Recorder.BeginWrite(key);
        HybridFraming.MarkIfFramed(entry, value);
        ValueTask fence = Recorder.FenceAsync(key);
        if (prefetchWrite is not null || !fence.IsCompletedSuccessfully)
        {
            return SetAfterFenceAsync(fence, prefetchWrite, entry, key, value, options, token);
        }

        ValueTask pending;
        try
        {
            pending = _bufferInner.SetAsync(key, value, options, token);
        }
        catch
        {
            AccessRecorder.AbortWrite(entry);
            throw;
        }

        if (pending.IsCompletedSuccessfully)
        {
            Recorder.EndWrite(entry, value.Length, options);
            return pending;
        }

        return AwaitSet(pending, entry, value.Length, options);
    }

    private async ValueTask<bool> AwaitTryGet(ValueTask<bool> pending, string key)
    {
        bool hit = await pending.ConfigureAwait(false);
        Recorder.Read(key, hit, -1);
        return hit;
    }

    private async ValueTask AwaitSet(ValueTask pending, KeyAccessStatistics entry, long size, DistributedCacheEntryOptions options)
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

        Recorder.EndWrite(entry, size, options);
    }

    private async ValueTask SetAfterFenceAsync(ValueTask fence, Task? prefetchWrite, KeyAccessStatistics entry, string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options, CancellationToken token)
    {
        try
        {
            await fence.ConfigureAwait(false);
            if (prefetchWrite is not null)
            {
                await prefetchWrite.ConfigureAwait(false);
            }

            await _bufferInner.SetAsync(key, value, options, token).ConfigureAwait(false);
        }
        catch
        {
            AccessRecorder.AbortWrite(entry);
            throw;
        }

        Recorder.EndWrite(entry, value.Length, options);
    }
}
