using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Caching;

/// <summary>
/// A <see cref="HybridCache"/> that delegates every call to the application's HybridCache and records what it sees:
/// every <c>GetOrCreateAsync</c> (L1 hits included) as a read, <c>SetAsync</c> and the removals as application writes,
/// fenced against prefetches like the <see cref="PredictiveDistributedCache"/>'s.
/// </summary>
/// <remarks>
/// A read is a hit when the inner cache did not call the factory. The factory is wrapped with a value-tuple state and a
/// cached static delegate, so telling the two apart allocates nothing; the value's size is not known here.
/// HybridCache's own L2 is the undecorated cache (<see cref="DependencyInjection.HybridCacheDecoration"/>), so its L2
/// reads are not recorded a second time.
/// </remarks>
internal sealed class PredictiveHybridCache : HybridCache
{
    private const HybridCacheEntryFlags StoresNothing = HybridCacheEntryFlags.DisableLocalCacheWrite | HybridCacheEntryFlags.DisableDistributedCacheWrite;

    private readonly HybridCache _inner;
    private readonly AccessRecorder _recorder;
    private readonly DistributedCacheEntryOptions _defaultExpiry;

    public PredictiveHybridCache(HybridCache inner, AccessRecorder recorder, TimeSpan defaultExpiration)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(recorder);
        _inner = inner;
        _recorder = recorder;
        _defaultExpiry = new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = defaultExpiration };
    }

    /// <summary>Gets the HybridCache this instance decorates; prefetches write through it, so they are not recorded as the application's.</summary>
    public HybridCache InnerCache => _inner;

    /// <summary>Gets how long an entry written without an expiration lives (the HybridCache default).</summary>
    public TimeSpan DefaultExpiration => _defaultExpiry.AbsoluteExpirationRelativeToNow!.Value;

    public override ValueTask<T> GetOrCreateAsync<TState, T>(
        string key,
        TState state,
        Func<TState, CancellationToken, ValueTask<T>> factory,
        HybridCacheEntryOptions? options = null,
        IEnumerable<string>? tags = null,
        CancellationToken cancellationToken = default)
    {
        if (key is null || factory is null)
        {
            // The inner cache's to judge; nothing to record.
            return _inner.GetOrCreateAsync(key!, state, factory!, options, tags, cancellationToken);
        }

        KeyAccessStatistics entry = _recorder.Tracker.GetOrAddEntry(key);
        int calls = entry.FactoryCalls;
        ValueTask<T> pending = _inner.GetOrCreateAsync(key, new ErasedState<T>(state, factory, entry, Counted<TState, T>.Invoke), ErasedState<T>.Run, options, tags, cancellationToken);
        if (pending.IsCompletedSuccessfully)
        {
            // An L1 hit: the common case, handed back as it is.
            Record(key, entry, calls, options);
            return pending;
        }

        return AwaitGetOrCreate(pending, key, entry, calls, options);
    }

    public override ValueTask SetAsync<T>(string key, T value, HybridCacheEntryOptions? options = null, IEnumerable<string>? tags = null, CancellationToken cancellationToken = default)
    {
        if (key is null)
        {
            return _inner.SetAsync(key!, value, options, tags, cancellationToken);
        }

        (KeyAccessStatistics entry, Task? prefetchWrite) = _recorder.BeginWrite(key);
        return SetAfterFenceAsync(entry, prefetchWrite, key, value, options, tags, cancellationToken);
    }

    public override ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default)
    {
        if (key is null)
        {
            return _inner.RemoveAsync(key!, cancellationToken);
        }

        (KeyAccessStatistics entry, Task? prefetchWrite) = _recorder.BeginWrite(key);
        return RemoveAfterFenceAsync(entry, prefetchWrite, key, cancellationToken);
    }

    public override async ValueTask RemoveAsync(IEnumerable<string> keys, CancellationToken cancellationToken = default)
    {
        if (keys is null)
        {
            await _inner.RemoveAsync(keys!, cancellationToken).ConfigureAwait(false);
            return;
        }

        // Fence every key first, then hand the inner cache the whole set, as the application gave it (nulls included:
        // what to do with them is the inner cache's to judge).
        List<string> all = [.. keys];
        var fenced = new List<(string Key, KeyAccessStatistics Entry)>(all.Count);
        try
        {
            foreach (string key in all)
            {
                if (key is null)
                {
                    continue;
                }

                (KeyAccessStatistics entry, Task? prefetchWrite) = _recorder.BeginWrite(key);
                fenced.Add((key, entry));
                await _recorder.FenceAsync(key).ConfigureAwait(false);
                if (prefetchWrite is not null)
                {
                    await prefetchWrite.ConfigureAwait(false);
                }
            }

            await _inner.RemoveAsync(all, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            foreach ((_, KeyAccessStatistics entry) in fenced)
            {
                AccessRecorder.AbortWrite(entry);
            }

            throw;
        }

        foreach ((_, KeyAccessStatistics entry) in fenced)
        {
            _recorder.EndRemove(entry);
        }
    }

    public override ValueTask RemoveByTagAsync(string tag, CancellationToken cancellationToken = default)
    {
        _recorder.BeginTagInvalidation();
        ValueTask pending;
        try
        {
            // Other instances' typed prefetches first (Redis coordination): the removal must not land before their fence.
            ValueTask fence = _recorder.FenceTagRemovalAsync();
            if (!fence.IsCompletedSuccessfully)
            {
                return RemoveByTagAfterFenceAsync(fence, tag, cancellationToken);
            }

            pending = _inner.RemoveByTagAsync(tag, cancellationToken);
        }
        catch
        {
            _recorder.EndTagInvalidation();
            throw;
        }

        if (pending.IsCompletedSuccessfully)
        {
            _recorder.EndTagInvalidation();
            return pending;
        }

        return AwaitTagInvalidation(pending);
    }

    public override async ValueTask RemoveByTagAsync(IEnumerable<string> tags, CancellationToken cancellationToken = default)
    {
        _recorder.BeginTagInvalidation();
        try
        {
            await _recorder.FenceTagRemovalAsync().ConfigureAwait(false);
            await _inner.RemoveByTagAsync(tags, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _recorder.EndTagInvalidation();
        }
    }

    private void Record(string key, KeyAccessStatistics entry, int calls, HybridCacheEntryOptions? options)
    {
        bool hit = entry.FactoryCalls == calls;
        _recorder.HybridRead(key, entry, hit);
        // A read that asked HybridCache to store nothing leaves nothing present (and so something to prefetch).
        if (!hit && ((options?.Flags ?? HybridCacheEntryFlags.None) & StoresNothing) != StoresNothing)
        {
            _recorder.HybridCreated(key, ExpiryOf(options));
        }
    }

    private DistributedCacheEntryOptions ExpiryOf(HybridCacheEntryOptions? options) =>
        options?.Expiration is { } expiration
            ? new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = expiration }
            : _defaultExpiry;

    private async ValueTask<T> AwaitGetOrCreate<T>(ValueTask<T> pending, string key, KeyAccessStatistics entry, int calls, HybridCacheEntryOptions? options)
    {
        T value = await pending.ConfigureAwait(false);
        Record(key, entry, calls, options);
        return value;
    }

    private async ValueTask SetAfterFenceAsync<T>(KeyAccessStatistics entry, Task? prefetchWrite, string key, T value, HybridCacheEntryOptions? options, IEnumerable<string>? tags, CancellationToken cancellationToken)
    {
        try
        {
            await _recorder.FenceAsync(key).ConfigureAwait(false);
            if (prefetchWrite is not null)
            {
                await prefetchWrite.ConfigureAwait(false);
            }

            await _inner.SetAsync(key, value, options, tags, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            AccessRecorder.AbortWrite(entry);
            throw;
        }

        _recorder.EndWrite(entry, -1, ExpiryOf(options));
    }

    private async ValueTask RemoveAfterFenceAsync(KeyAccessStatistics entry, Task? prefetchWrite, string key, CancellationToken cancellationToken)
    {
        try
        {
            await _recorder.FenceAsync(key).ConfigureAwait(false);
            if (prefetchWrite is not null)
            {
                await prefetchWrite.ConfigureAwait(false);
            }

            await _inner.RemoveAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            AccessRecorder.AbortWrite(entry);
            throw;
        }

        _recorder.EndRemove(entry);
    }

    private async ValueTask RemoveByTagAfterFenceAsync(ValueTask fence, string tag, CancellationToken cancellationToken)
    {
        try
        {
            await fence.ConfigureAwait(false);
            await _inner.RemoveByTagAsync(tag, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _recorder.EndTagInvalidation();
        }
    }

    private async ValueTask AwaitTagInvalidation(ValueTask pending)
    {
        try
        {
            await pending.ConfigureAwait(false);
        }
        finally
        {
            _recorder.EndTagInvalidation();
        }
    }

    /// <summary>One cached delegate per (TState, T): runs the application's factory from an <see cref="ErasedState{T}"/>, its state and factory typed again.</summary>
    private static class Counted<TState, T>
    {
        public static readonly Func<object?, Delegate, CancellationToken, ValueTask<T>> Invoke =
            static (state, factory, cancellationToken) => ((Func<TState, CancellationToken, ValueTask<T>>)factory)((TState)state!, cancellationToken);
    }

    /// <summary>
    /// What the decorator hands the inner cache as the state: the key's entry, to count the factory call, with the
    /// application's state and factory erased to <see cref="object"/>.
    /// </summary>
    /// <remarks>
    /// Erased because the inner cache's <c>GetOrCreateAsync</c> is a generic virtual method that this class overrides:
    /// a state built from the caller's <c>TState</c> (a tuple of it, as before) would make NativeAOT compile this
    /// override again for the tuple, which wraps it in another, without end, and NativeAOT's compiler (ILC 10.0) then
    /// rejects the whole assembly as a bad image (every use of <c>Nullable&lt;T&gt;</c>, among a quarter of its
    /// methods, "will always throw", and the app aborts at start). This state's type depends on <c>T</c> only, so the
    /// expansion stops at once. The price: a value-type state is boxed, one small allocation a call (24 B for an
    /// <see cref="int"/>); a reference-type state, and the stateless overload, allocate nothing.
    /// </remarks>
    private readonly struct ErasedState<T>(object? state, Delegate factory, KeyAccessStatistics entry, Func<object?, Delegate, CancellationToken, ValueTask<T>> invoke)
    {
        public static readonly Func<ErasedState<T>, CancellationToken, ValueTask<T>> Run = static (s, cancellationToken) => s.Invoke(cancellationToken);

        private ValueTask<T> Invoke(CancellationToken cancellationToken)
        {
            entry.OnFactoryCall();
            return invoke(state, factory, cancellationToken);
        }
    }
}
