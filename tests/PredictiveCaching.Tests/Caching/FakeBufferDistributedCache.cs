using System.Buffers;
using Microsoft.Extensions.Caching.Distributed;

namespace PredictiveCaching.Tests.Caching;

/// <summary>A <see cref="FakeDistributedCache"/> that also offers the buffer members HybridCache uses.</summary>
public sealed class FakeBufferDistributedCache : FakeDistributedCache, IBufferDistributedCache
{
    public int BufferCalls { get; private set; }

    public bool TryGet(string key, IBufferWriter<byte> destination)
    {
        Enter(key);
        BufferCalls++;
        if (!TryGetStored(key, out byte[]? value) || value is null)
        {
            return false;
        }

        destination.Write(value);
        return true;
    }

    public async ValueTask<bool> TryGetAsync(string key, IBufferWriter<byte> destination, CancellationToken token = default)
    {
        await BeginAsync(key, token);
        return TryGet(key, destination);
    }

    public void Set(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options)
    {
        Enter(key);
        ArgumentNullException.ThrowIfNull(options);
        BufferCalls++;
        Store(key, value.ToArray());
    }

    public async ValueTask SetAsync(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        await BeginAsync(key, token);
        Set(key, value, options);
    }
}
