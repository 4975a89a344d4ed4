using System.Buffers;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Time.Testing;
using PredictiveCaching.Caching;
using PredictiveCaching.Loop.Outcomes;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Tests.Fakes;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Tests.Caching;

public sealed class PredictiveDistributedCacheTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Value = [1, 2, 3, 4, 5];
    private static readonly DistributedCacheEntryOptions NoExpiry = new();

    private readonly FakeTimeProvider _time = new(Start);
    private readonly AccessTracker _tracker = new(new TrackingOptions { AdmissionReads = 1 });

    [Fact]
    public void Get_Miss_RecordsMissWithoutSize()
    {
        var (sut, _) = CreateSut();

        Assert.Null(sut.Get("k"));

        KeyAccessStatistics k = Tracked("k");
        Assert.Equal(1, k.ReadCount);
        Assert.Equal(0, k.HitCount);
        Assert.False(k.LastReadWasHit);
        Assert.False(k.IsPresent);
        Assert.Equal(-1, k.LastSize);
        Assert.Equal(Start.UtcTicks, k.LastReadTicks);
    }

    [Fact]
    public void Get_Hit_RecordsHitSizeAndTime()
    {
        var (sut, inner) = CreateSut();
        inner.Set("k", Value, NoExpiry);
        _time.Advance(TimeSpan.FromSeconds(3));

        Assert.Same(Value, sut.Get("k"));

        KeyAccessStatistics k = Tracked("k");
        Assert.Equal(1, k.HitCount);
        Assert.True(k.LastReadWasHit);
        Assert.True(k.IsPresent);
        Assert.Equal(Value.Length, k.LastSize);
        Assert.Equal(Start.AddSeconds(3).UtcTicks, k.LastReadTicks);
    }

    [Fact]
    public void Set_WithOptions_RecordsWriteSizeAndExpiry()
    {
        var (sut, _) = CreateSut();

        sut.Set("k", Value, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(2) });

        KeyAccessStatistics k = Tracked("k");
        Assert.Equal(0, k.ReadCount);
        Assert.True(k.IsPresent);
        Assert.Equal(Value.Length, k.LastSize);
        Assert.Equal(1, k.WriteVersion);
        Assert.False(k.IsPrefetchedCopy);
        Assert.Equal(Start.AddMinutes(2).UtcTicks, k.ExpectedExpiryTicks);
    }

    [Fact]
    public async Task SetAsync_ThenRemoveAsync_RecordsWriteThenAbsence()
    {
        var (sut, _) = CreateSut();

        await sut.SetAsync("k", Value, NoExpiry);
        Assert.True(Tracked("k").IsPresent);
        await sut.RemoveAsync("k");

        KeyAccessStatistics k = Tracked("k");
        Assert.False(k.IsPresent);
        Assert.Equal(2, k.WriteVersion);
    }

    [Fact]
    public async Task RefreshAsync_Sliding_RenewsExpectedExpiry()
    {
        var (sut, _) = CreateSut();
        sut.Set("k", Value, new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromSeconds(30) });
        _time.Advance(TimeSpan.FromSeconds(20));

        await sut.RefreshAsync("k");

        Assert.Equal(Start.AddSeconds(50).UtcTicks, Tracked("k").ExpectedExpiryTicks);
    }

    [Fact]
    public async Task GetAsync_InnerCompletesLater_ReturnsValueAndRecordsAfterCompletion()
    {
        var (sut, inner) = CreateSut();
        inner.Set("k", Value, NoExpiry);
        inner.HoldAsyncCalls = true;

        Task<byte[]?> pending = sut.GetAsync("k");
        Assert.False(pending.IsCompleted);
        Assert.False(_tracker.TryGet("k", out _));
        byte[]? value = await Release(inner, pending);

        Assert.Same(Value, value);
        Assert.Equal(1, Tracked("k").HitCount);
    }

    [Fact]
    public async Task AsyncMembers_InnerCompletesLater_RecordEachOperation()
    {
        var (sut, inner) = CreateSut();
        inner.HoldAsyncCalls = true;

        await Release(inner, sut.SetAsync("k", Value, new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromSeconds(30) }));
        _time.Advance(TimeSpan.FromSeconds(10));
        await Release(inner, sut.RefreshAsync("k"));
        Assert.Equal(Start.AddSeconds(40).UtcTicks, Tracked("k").ExpectedExpiryTicks);
        await Release(inner, sut.RemoveAsync("k"));

        Assert.False(Tracked("k").IsPresent);
        Assert.Equal(2, Tracked("k").WriteVersion);
    }

    [Fact]
    public async Task GetAsync_InnerFaultsLater_SameExceptionAndNothingRecorded()
    {
        var (sut, inner) = CreateSut();
        var failure = new TimeoutException("redis down");
        inner.HoldAsyncCalls = true;
        inner.Failure = failure;

        TimeoutException thrown = await Assert.ThrowsAsync<TimeoutException>(() => Release(inner, sut.GetAsync("k")));
        Assert.False(_tracker.TryGet("k", out _));
        await Assert.ThrowsAsync<TimeoutException>(() => Release(inner, sut.SetAsync("k", Value, NoExpiry)));

        // The write fenced the key before reaching the inner cache; the failed write left no statistics.
        Assert.Same(failure, thrown);
        Assert.True(_tracker.TryGet("k", out KeyAccessStatistics? k));
        Assert.False(k.IsPresent);
        Assert.Equal(-1, k.LastSize);
    }

    [Fact]
    public void Get_InnerThrows_SameExceptionAndNothingRecorded()
    {
        var (sut, inner) = CreateSut();
        var failure = new InvalidOperationException("boom");
        inner.Failure = failure;

        Assert.Same(failure, Assert.Throws<InvalidOperationException>(() => sut.Get("k")));
        Assert.False(_tracker.TryGet("k", out _));
        Assert.Same(failure, Assert.Throws<InvalidOperationException>(() => sut.Set("k", Value, NoExpiry)));

        // A write fences the key against prefetches before it reaches the inner cache, so the key is known from then
        // on; the failed write itself leaves no trace in its statistics.
        Assert.True(_tracker.TryGet("k", out KeyAccessStatistics? k));
        Assert.Equal(0, k.ReadCount);
        Assert.False(k.IsPresent);
        Assert.Equal(-1, k.LastSize);
    }

    [Fact]
    public async Task GetAsync_CancelledWhileInnerPending_TaskCancelledLikeInner()
    {
        var (sut, inner) = CreateSut();
        inner.HoldAsyncCalls = true;
        using var cts = new CancellationTokenSource();

        Task<byte[]?> rawTask = inner.GetAsync("k", cts.Token);
        Task<byte[]?> decoratedTask = sut.GetAsync("k", cts.Token);
        Assert.False(decoratedTask.IsCompleted);
        await cts.CancelAsync();
        inner.ReleaseHeldCalls();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => rawTask);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => decoratedTask);

        Assert.True(rawTask.IsCanceled);
        Assert.True(decoratedTask.IsCanceled);
        Assert.False(_tracker.TryGet("k", out _));
    }

    [Fact]
    public void Get_KnownKeyAfterWarmUp_AllocatesNothing()
    {
        var (sut, inner) = CreateSut();
        inner.Set("a", Value, NoExpiry);
        inner.Set("b", Value, NoExpiry);
        for (int i = 0; i < 100; i++)
        {
            sut.Get("a");
            sut.Get("b");
        }

        // A known key's hit allocates nothing (see Allocations.Fewest for why the fewest of a few batches is asserted).
        Assert.Equal(0, Allocations.Fewest(() =>
        {
            for (int i = 0; i < 5_000; i++)
            {
                sut.Get("a");
                sut.Get("b");
            }
        }));
    }

    [Fact]
    public void Dispose_OwnsInner_DisposesInner()
    {
        var owned = new FakeDistributedCache();
        var borrowed = new FakeDistributedCache();
        var recorder = new AccessRecorder(_tracker, _time, new PrefetchPrecision(new PrefetchOptions()), new RecentReads(), new NoPrefetchCoordination());

        new PredictiveDistributedCache(owned, recorder, ownsInner: true).Dispose();
        new PredictiveDistributedCache(borrowed, recorder, ownsInner: false).Dispose();

        Assert.True(owned.IsDisposed);
        Assert.False(borrowed.IsDisposed);
    }

    [Fact]
    public void BufferTryGet_HitAndMiss_DelegatesAndRecords()
    {
        var inner = new FakeBufferDistributedCache();
        inner.Set("k", Value, NoExpiry);
        var sut = new PredictiveBufferDistributedCache(inner, new AccessRecorder(_tracker, _time, new PrefetchPrecision(new PrefetchOptions()), new RecentReads(), new NoPrefetchCoordination()), ownsInner: false);
        var buffer = new ArrayBufferWriter<byte>();

        Assert.True(sut.TryGet("k", buffer));
        Assert.False(sut.TryGet("missing", buffer));

        Assert.Equal(Value, buffer.WrittenSpan.ToArray());
        Assert.Equal(2, inner.BufferCalls);
        Assert.Equal(1, Tracked("k").HitCount);
        Assert.Equal(1, Tracked("missing").ReadCount);
        Assert.Equal(0, Tracked("missing").HitCount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task BufferSetAsyncAndTryGetAsync_DelegateAndRecord(bool innerCompletesLater)
    {
        var inner = new FakeBufferDistributedCache { HoldAsyncCalls = innerCompletesLater };
        var sut = new PredictiveBufferDistributedCache(inner, new AccessRecorder(_tracker, _time, new PrefetchPrecision(new PrefetchOptions()), new RecentReads(), new NoPrefetchCoordination()), ownsInner: false);
        var buffer = new ArrayBufferWriter<byte>();

        await Release(inner, sut.SetAsync("k", new ReadOnlySequence<byte>(Value), NoExpiry).AsTask());
        Assert.Equal(Value.Length, Tracked("k").LastSize);
        Assert.True(await Release(inner, sut.TryGetAsync("k", buffer).AsTask()));
        Assert.False(await Release(inner, sut.TryGetAsync("missing", buffer).AsTask()));

        Assert.Equal(Value, buffer.WrittenSpan.ToArray());
        Assert.Equal(3, inner.BufferCalls);
        Assert.Equal(1, Tracked("k").HitCount);
        Assert.Equal(1, Tracked("k").WriteVersion);
        Assert.Equal(0, Tracked("missing").HitCount);
    }

    [Fact]
    public void BufferSet_Sync_DelegatesAndRecordsSize()
    {
        var inner = new FakeBufferDistributedCache();
        var sut = new PredictiveBufferDistributedCache(inner, new AccessRecorder(_tracker, _time, new PrefetchPrecision(new PrefetchOptions()), new RecentReads(), new NoPrefetchCoordination()), ownsInner: false);

        sut.Set("k", new ReadOnlySequence<byte>(Value), NoExpiry);

        Assert.Equal(Value, inner.Get("k"));
        Assert.Equal(1, inner.BufferCalls);
        Assert.Equal(Value.Length, Tracked("k").LastSize);
        Assert.True(Tracked("k").IsPresent);
    }

    private (PredictiveDistributedCache Sut, FakeDistributedCache Inner) CreateSut()
    {
        var inner = new FakeDistributedCache();
        return (new PredictiveDistributedCache(inner, new AccessRecorder(_tracker, _time, new PrefetchPrecision(new PrefetchOptions()), new RecentReads(), new NoPrefetchCoordination()), ownsInner: false), inner);
    }

    /// <summary>Checks the call is still pending when the inner cache holds it, then lets it finish.</summary>
    private static Task Release(FakeDistributedCache inner, Task pending)
    {
        if (inner.HoldAsyncCalls)
        {
            Assert.False(pending.IsCompleted, "The inner call was expected to be pending.");
            inner.ReleaseHeldCalls();
        }

        return pending;
    }

    private static async Task<T> Release<T>(FakeDistributedCache inner, Task<T> pending)
    {
        await Release(inner, (Task)pending);
        return await pending;
    }

    private KeyAccessStatistics Tracked(string key)
    {
        Assert.True(_tracker.TryGet(key, out KeyAccessStatistics? statistics), $"'{key}' is not tracked.");
        return statistics;
    }
}
