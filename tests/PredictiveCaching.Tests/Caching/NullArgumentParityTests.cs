using System.Buffers;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Time.Testing;
using PredictiveCaching.Caching;
using PredictiveCaching.Loop.Outcomes;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Tests.Caching;

/// <summary>
/// Upstream <c>IDistributedCache</c> tests run against the decorator: whatever the inner cache does with null
/// arguments and faulted tasks is the outcome, and nothing is left behind that refuses later prefetches.
/// </summary>
public sealed class NullArgumentParityTests
{
    private static readonly DistributedCacheEntryOptions Entry = new() { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(1) };
    private readonly AccessTracker _tracker = new(new TrackingOptions());

    [Fact]
    public async Task NullKey_OverACacheThatAcceptsIt_GivesTheInnerOutcomeAndRecordsNothing()
    {
        var inner = new NullTolerantCache();
        PredictiveBufferDistributedCache sut = CreateSut(inner);

        Assert.Null(sut.Get(null!));
        Assert.Null(await sut.GetAsync(null!));
        sut.Refresh(null!);
        await sut.RefreshAsync(null!);
        sut.Set(null!, [1], Entry);
        await sut.SetAsync(null!, [1], Entry);
        sut.Remove(null!);
        await sut.RemoveAsync(null!);
        Assert.False(sut.TryGet(null!, new ArrayBufferWriter<byte>()));
        Assert.False(await sut.TryGetAsync(null!, new ArrayBufferWriter<byte>()));

        Assert.Equal(10, inner.Calls);
        Assert.Equal(0, _tracker.Count);
    }

    [Fact]
    public async Task NullValue_OverACacheThatAcceptsIt_GivesTheInnerOutcome_AndLeavesNoPendingWrite()
    {
        var inner = new NullTolerantCache();
        PredictiveBufferDistributedCache sut = CreateSut(inner);

        sut.Set("k", null!, Entry);
        await sut.SetAsync("k", null!, Entry);
        Assert.Equal(2, inner.Calls);

        // Nothing fences the key: a prefetch may still write it.
        KeyAccessStatistics entry = _tracker.GetOrAddEntry("k");
        TaskCompletionSource? write = entry.TryBeginPrefetchWrite(entry.WriteVersion, out _);
        Assert.NotNull(write);
        entry.EndPrefetchWrite(write);
    }

    [Fact]
    public async Task NullValue_OverACacheThatRejectsIt_ThrowsWhatTheInnerThrows()
    {
        var inner = new MemoryDistributedCache(Microsoft.Extensions.Options.Options.Create(new MemoryDistributedCacheOptions()));
        using var sut = new PredictiveDistributedCache(inner, Recorder(), ownsInner: false);

        Exception expected = Assert.ThrowsAny<Exception>(() => inner.Set("k", null!, Entry));
        Exception actual = Assert.ThrowsAny<Exception>(() => sut.Set("k", null!, Entry));
        Assert.Equal(expected.GetType(), actual.GetType());
        Exception expectedAsync = await Assert.ThrowsAnyAsync<Exception>(() => inner.SetAsync("k", null!, Entry));
        Exception actualAsync = await Assert.ThrowsAnyAsync<Exception>(() => sut.SetAsync("k", null!, Entry));
        Assert.Equal(expectedAsync.GetType(), actualAsync.GetType());
    }

    [Fact]
    public async Task FaultedInnerTasks_FaultTheSameWay_AndLeaveNoPendingWrite()
    {
        var inner = new FaultingCache();
        PredictiveBufferDistributedCache sut = CreateSut(inner);

        Assert.Same(FaultingCache.Failure, await Assert.ThrowsAsync<InvalidOperationException>(() => sut.GetAsync("k")));
        Assert.Same(FaultingCache.Failure, await Assert.ThrowsAsync<InvalidOperationException>(() => sut.SetAsync("k", [1], Entry)));
        Assert.Same(FaultingCache.Failure, await Assert.ThrowsAsync<InvalidOperationException>(() => sut.RemoveAsync("k")));
        Assert.Same(FaultingCache.Failure, await Assert.ThrowsAsync<InvalidOperationException>(() => sut.RefreshAsync("k")));
        Assert.Same(FaultingCache.Failure, await Assert.ThrowsAsync<InvalidOperationException>(() => sut.SetAsync("k", new ReadOnlySequence<byte>([1]), Entry).AsTask()));
        Assert.Same(FaultingCache.Failure, await Assert.ThrowsAsync<InvalidOperationException>(() => sut.TryGetAsync("k", new ArrayBufferWriter<byte>()).AsTask()));

        // No read was recorded, and the failed writes ended their fences.
        KeyAccessStatistics entry = _tracker.GetOrAddEntry("k");
        Assert.Equal(0, entry.ReadCount);
        TaskCompletionSource? write = entry.TryBeginPrefetchWrite(entry.WriteVersion, out _);
        Assert.NotNull(write);
        entry.EndPrefetchWrite(write);
    }

    private PredictiveBufferDistributedCache CreateSut(IBufferDistributedCache inner) => new(inner, Recorder(), ownsInner: false);

    private AccessRecorder Recorder() =>
        new(_tracker, new FakeTimeProvider(), new PrefetchPrecision(new PrefetchOptions()), new RecentReads(), new NoPrefetchCoordination());

    /// <summary>Accepts every argument, null included, and stores nothing.</summary>
    private sealed class NullTolerantCache : IBufferDistributedCache
    {
        public int Calls { get; private set; }

        public byte[]? Get(string key) => Count<byte[]?>(null);

        public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => Task.FromResult(Count<byte[]?>(null));

        public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => Count(0);

        public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) => Task.FromResult(Count(0));

        public void Refresh(string key) => Count(0);

        public Task RefreshAsync(string key, CancellationToken token = default) => Task.FromResult(Count(0));

        public void Remove(string key) => Count(0);

        public Task RemoveAsync(string key, CancellationToken token = default) => Task.FromResult(Count(0));

        public bool TryGet(string key, IBufferWriter<byte> destination) => Count(false);

        public ValueTask<bool> TryGetAsync(string key, IBufferWriter<byte> destination, CancellationToken token = default) => new(Count(false));

        public void Set(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options) => Count(0);

        public ValueTask SetAsync(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options, CancellationToken token = default)
        {
            Count(0);
            return default;
        }

        private T Count<T>(T result)
        {
            Calls++;
            return result;
        }
    }

    /// <summary>Every asynchronous member returns a faulted task; the synchronous ones are not used here.</summary>
    private sealed class FaultingCache : IBufferDistributedCache
    {
        public static readonly InvalidOperationException Failure = new("inner cache failed");

        public byte[]? Get(string key) => throw Failure;

        public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => Task.FromException<byte[]?>(Failure);

        public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => throw Failure;

        public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) => Task.FromException(Failure);

        public void Refresh(string key) => throw Failure;

        public Task RefreshAsync(string key, CancellationToken token = default) => Task.FromException(Failure);

        public void Remove(string key) => throw Failure;

        public Task RemoveAsync(string key, CancellationToken token = default) => Task.FromException(Failure);

        public bool TryGet(string key, IBufferWriter<byte> destination) => throw Failure;

        public ValueTask<bool> TryGetAsync(string key, IBufferWriter<byte> destination, CancellationToken token = default) => ValueTask.FromException<bool>(Failure);

        public void Set(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options) => throw Failure;

        public ValueTask SetAsync(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options, CancellationToken token = default) => ValueTask.FromException(Failure);
    }
}
