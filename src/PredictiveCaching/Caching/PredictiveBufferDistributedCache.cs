using System.Buffers;
using Microsoft.Extensions.Caching.Distributed;

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
        Recorder.Read(key, hit, -1);
        return hit;
    }

    public ValueTask<bool> TryGetAsync(string key, IBufferWriter<byte> destination, CancellationToken token = default)
    {
        ValueTask<bool> pending = _bufferInner.TryGetAsync(key, destination, token);
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
        _bufferInner.Set(key, value, options);
        Recorder.Write(key, value.Length, options);
    }

    public ValueTask SetAsync(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        ValueTask pending = _bufferInner.SetAsync(key, value, options, token);
        if (pending.IsCompletedSuccessfully)
        {
            Recorder.Write(key, value.Length, options);
            return pending;
        }

        return AwaitSet(pending, key, value.Length, options);
    }

    private async ValueTask<bool> AwaitTryGet(ValueTask<bool> pending, string key)
    {
        bool hit = await pending.ConfigureAwait(false);
        Recorder.Read(key, hit, -1);
        return hit;
    }

    private async ValueTask AwaitSet(ValueTask pending, string key, long size, DistributedCacheEntryOptions options)
    {
        await pending.ConfigureAwait(false);
        Recorder.Write(key, size, options);
    }
}
