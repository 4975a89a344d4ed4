using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;
using PredictiveCaching.Caching;
using PredictiveCaching.Diagnostics;
using PredictiveCaching.Internal;
using PredictiveCaching.Loop.Admission;
using PredictiveCaching.Loop.Outcomes;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Loop.Execution;

/// <summary>
/// Runs loads from prefetch sources and writes their values into the application's cache: single-flight per key,
/// at most <see cref="PrefetchOptions.MaxConcurrency"/> at once, each limited to <see cref="PrefetchOptions.Timeout"/>,
/// all cancelled on shutdown. Each source runs through its own pipeline (<see cref="PrefetchSource"/>): a per-source
/// concurrency limit and a circuit breaker, so a failing or hanging source is counted, then skipped, never reaches the
/// application and cannot take the other sources' slots; a value is never written over one the application wrote or
/// removed after the prefetch began.
/// </summary>
internal sealed class PrefetchExecutor : IAsyncDisposable, IDisposable
{
    private readonly IServiceProvider _services;
    private readonly AccessTracker _tracker;
    private readonly TimeProvider _time;
    private readonly PrefetchOptions _options;
    private readonly PrefetchBudget _budget;
    private readonly PrefetchStatistics _statistics;
    private readonly PrefetchOutcomeWatch _outcomes;
    private readonly IPrefetchCoordinator _coordinator;
    private readonly TimeSpan _leaseTime;
    private readonly ILogger _logger;
    private readonly LoopDurations _durations;
    private readonly PredictiveCachingTracing _tracing;
    private readonly ConcurrentDictionary<string, Task?> _inflight = new(StringComparer.Ordinal);
    private static readonly Func<(IPrefetchSource Source, string Key), CancellationToken, ValueTask<PrefetchedValue?>> s_loadOnce = LoadOnceAsync;
    private static readonly Func<(HybridPrefetchValue Value, HybridCache Cache, string Key, HybridCacheEntryOptions Options), CancellationToken, ValueTask> s_writeTyped =
        static (s, cancellationToken) => s.Value.WriteAsync(s.Cache, s.Key, s.Options, cancellationToken);
    private static readonly Func<(HybridPrefetchValue Value, HybridCache Cache, string Key, HybridCacheEntryOptions Options), CancellationToken, ValueTask> s_undoTyped =
        static (s, cancellationToken) => s.Cache.RemoveAsync(s.Key, cancellationToken);
    private readonly PrefetchPrecision _accuracy;

    private readonly CancellationTokenSource _shutdown = new();
    private IDistributedCache? _cache;
    private PredictiveHybridCache? _hybrid;
    private bool _hybridResolved;
    private int _running;

    public PrefetchExecutor(
        IServiceProvider services,
        AccessTracker tracker,
        TimeProvider time,
        IOptions<PredictiveLoadingOptions> options,
        PrefetchBudget budget,
        PrefetchStatistics statistics,
        PrefetchOutcomeWatch outcomes,
        IPrefetchCoordinator coordinator,
        PrefetchPrecision accuracy,
        LoopDurations durations,
        PredictiveCachingTracing tracing,
        ILogger<PrefetchExecutor> logger)
    {
        _durations = durations;
        _tracing = tracing;
        _services = services;
        _tracker = tracker;
        _time = time;
        _options = options.Value.Prefetch;
        _budget = budget;
        _statistics = statistics;
        _outcomes = outcomes;
        _coordinator = coordinator;
        _accuracy = accuracy;

        // The load is bounded by Timeout; the same again covers the write, after which the lease is released.
        _leaseTime = _options.Timeout * 2;
        _logger = logger;
    }

    public int Running => Volatile.Read(ref _running);

    public bool HasCapacity => Volatile.Read(ref _running) < _options.MaxConcurrency;

    public bool IsInFlight(string key) => _inflight.ContainsKey(key);

    /// <summary>Returns the largest value a prefetch writes under a strategy with <paramref name="budgetBytes"/>.</summary>
    private long ValueCap(long budgetBytes) => _options.ValueCapFor(budgetBytes);

    /// <summary>
    /// Starts loading <paramref name="key"/> in the background when the key is not in flight, its source's breaker is
    /// not open and neither its source nor the executor is at its concurrency limit. Never waits for a slot.
    /// </summary>
    /// <param name="key">The key.</param>
    /// <param name="source">The source to load it from.</param>
    /// <param name="reservedBytes">Budget reserved for it; committed or released when the load ends, not by the caller, once started.</param>
    /// <param name="window">The lookahead window: an unread copy counts as wasted once it has passed.</param>
    /// <param name="budgetBytes">The strategy's byte budget for the window: the loaded value's actual size must fit it.</param>
    /// <returns>Whether it started.</returns>
    public PrefetchStartResult TryStart(string key, PrefetchSource source, long reservedBytes, TimeSpan window, long budgetBytes)
    {
        if (_shutdown.IsCancellationRequested)
        {
            return PrefetchStartResult.ShuttingDown;
        }

        if (Interlocked.Increment(ref _running) > _options.MaxConcurrency)
        {
            Interlocked.Decrement(ref _running);
            return PrefetchStartResult.Saturated;
        }

        if (_inflight.ContainsKey(key))
        {
            Interlocked.Decrement(ref _running);
            return PrefetchStartResult.AlreadyInFlight;
        }

        PrefetchStartResult entered = source.TryEnter(_time.GetUtcNow().UtcTicks);
        if (entered != PrefetchStartResult.Started)
        {
            Interlocked.Decrement(ref _running);
            return entered;
        }

        if (!_inflight.TryAdd(key, null))
        {
            source.Exit();
            Interlocked.Decrement(ref _running);
            return PrefetchStartResult.AlreadyInFlight;
        }

        KeyAccessStatistics entry = _tracker.GetOrAddEntry(key);
        int version = entry.WriteVersion;
        int tagEpoch = _tracker.TagInvalidationEpoch;
        Task run = RunAsync(key, entry, version, tagEpoch, source, reservedBytes, window, budgetBytes);

        // The run removes its key when it ends; only publish the task if that has not happened yet.
        _inflight.TryUpdate(key, run, null);
        return PrefetchStartResult.Started;
    }

    /// <summary>Waits until no prefetch is running, or none whose key <paramref name="awaited"/> accepts. For shutdown and tests.</summary>
    public async Task WhenIdleAsync(Func<string, bool>? awaited = null)
    {
        bool waited = true;
        while (waited)
        {
            waited = false;
            foreach (KeyValuePair<string, Task?> pair in _inflight)
            {
                if (awaited is not null && !awaited(pair.Key))
                {
                    continue;
                }

                waited = true;
                if (pair.Value is { } task)
                {
                    await task.ConfigureAwait(false);
                }
                else
                {
                    await Task.Yield();
                }
            }
        }
    }

    /// <summary>Cancels every prefetch in flight and waits for them to end.</summary>
    public async Task StopAsync()
    {
        await _shutdown.CancelAsync().ConfigureAwait(false);
        await WhenIdleAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _shutdown.Dispose();
    }

    /// <summary>Cancels prefetches in flight without waiting for them (a container disposed synchronously).</summary>
    public void Dispose()
    {
        _shutdown.Cancel();
    }

    private async Task RunAsync(string key, KeyAccessStatistics entry, int version, int tagEpoch, PrefetchSource source, long reservedBytes, TimeSpan window, long budgetBytes)
    {
        // Never run a source on the caller's (the cycle's) thread.
        await Task.Yield();
        long started = _time.GetTimestamp();
        bool committed = false;
        PrefetchLease? lease = null;
        try
        {
            lease = await AcquireAsync(key).ConfigureAwait(false);
            if (lease is null)
            {
                return;
            }

            _statistics.OnStarted();
            PrefetchedValue? value = await LoadAsync(key, source).ConfigureAwait(false);
            if (value is null)
            {
                return;
            }

            HybridPrefetchValue? typed = value.Typed;
            if (typed is null && entry.ReadThroughHybridCache)
            {
                // HybridCache would ignore these bytes (it frames what it stores) and call its factory: the load is spent
                // for nothing, so it counts as wasted and nothing is written over the key.
                _accuracy.RecordWasted();
                _statistics.OnBytesForHybridCache();
                source.ReportBytesForHybridCache(key);
                return;
            }

            PredictiveHybridCache? hybrid = null;
            if (typed is not null && (hybrid = Hybrid(typed.ServiceKey)) is null)
            {
                _statistics.OnFailed();
                source.ReportNoHybridCache(key);
                return;
            }

            // The prediction was only an estimate: a value far larger than it would spend the window's budget at once.
            // A typed value's size is not known without serializing it, so it keeps the estimate it was reserved with.
            long actual = typed is null ? value.Value.LongLength : reservedBytes;
            long cap = ValueCap(budgetBytes);
            if (actual > cap || !_budget.TryResize(reservedBytes, actual, _time.GetUtcNow().UtcTicks, window, budgetBytes))
            {
                // The next prediction of the key then expects this size, so it is not loaded again each cycle.
                entry.RecordLoadedSize(actual);
                _statistics.OnOversize();
                Log.PrefetchOversize(_logger, key, actual, cap);
                source.ReportOversize(key, actual, cap);
                return;
            }

            // From here the reservation holds the actual size, and that is what is committed or released.
            reservedBytes = actual;
            TaskCompletionSource? write = _tracker.TryGet(key, out KeyAccessStatistics? current) && ReferenceEquals(current, entry)
                ? _tracker.TryBeginPrefetchWrite(entry, version)
                : null;
            if (write is null)
            {
                _statistics.OnSuperseded();
                return;
            }

            try
            {
                DistributedCacheEntryOptions entryOptions;
                if (typed is not null)
                {
                    HybridCacheEntryOptions hybridOptions = typed.Options ?? new HybridCacheEntryOptions { Expiration = OptionsFor(entry).AbsoluteExpirationRelativeToNow };
                    entryOptions = new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = hybridOptions.Expiration ?? hybrid!.DefaultExpiration };

                    // Which keys a tag covers is HybridCache's to know: a tag removal since the load began refuses the write,
                    // and one that began while it was being written takes the copy back out (an extra miss, never a stale read).
                    if (!_tracker.TagFenceHolds(tagEpoch)
                        || !await lease.TryWriteAsync(key, (typed, hybrid!.InnerCache, key, hybridOptions), s_writeTyped, s_undoTyped, _shutdown.Token).ConfigureAwait(false))
                    {
                        _statistics.OnSuperseded();
                        return;
                    }

                    if (!_tracker.TagFenceHolds(tagEpoch))
                    {
                        await hybrid!.InnerCache.RemoveAsync(key, _shutdown.Token).ConfigureAwait(false);
                        _statistics.OnSuperseded();
                        return;
                    }
                }
                else
                {
                    entryOptions = value.Options ?? OptionsFor(entry);

                    // The lease makes the write conditional where the cache lives (Redis coordination): an application write
                    // through another instance since the lease was granted fences it out there, as BeginApplicationWrite does here.
                    if (!await lease.TryWriteAsync(Cache(), key, value.Value, entryOptions, _shutdown.Token).ConfigureAwait(false))
                    {
                        _statistics.OnSuperseded();
                        return;
                    }
                }

                long now = _time.GetUtcNow().UtcTicks;
                if (entry.RecordWrite(actual, entryOptions, now, prefetched: true))
                {
                    _accuracy.RecordWasted();
                }

                // Used means read within the copy's life (honest precision): a copy read after the lookahead but before it
                // expired did serve a read. A copy that never expires is judged at the end of the lookahead; a very long
                // life at a day, so that precision keeps steering the strategy.
                long expiry = entry.ExpectedExpiryTicks;
                long deadline = expiry == KeyAccessStatistics.NoExpiry ? now + window.Ticks : Math.Min(expiry, now + TimeSpan.TicksPerDay);
                _outcomes.Watch(entry, entry.PrefetchStamp, deadline);
                _budget.Commit(reservedBytes, actual, now);
                committed = true;
                _statistics.OnCompleted(actual);
                _durations.RecordPrefetch(_time.GetElapsedTime(started));
            }
            catch (Exception exception) when (!_shutdown.IsCancellationRequested)
            {
                _statistics.OnFailed();
                Log.PrefetchWriteFailed(_logger, key, exception);
            }
            catch (OperationCanceledException)
            {
                // Shutting down.
            }
            finally
            {
                entry.EndPrefetchWrite(write);
            }
        }
        finally
        {
            if (lease is not null)
            {
                await ReleaseAsync(lease).ConfigureAwait(false);
            }

            if (!committed)
            {
                _budget.Release(reservedBytes);
            }

            // Slots first, the in-flight entry last: WhenIdleAsync returns once no key is in flight, and a cycle that
            // starts right after must find every slot of the ended loads free (else it skips as saturated or busy).
            source.Exit();
            Interlocked.Decrement(ref _running);
            _inflight.TryRemove(key, out _);
        }
    }

    /// <summary>Asks the coordinator for the key; a denial (another instance loads it, or coordination is down) is counted and skipped.</summary>
    private async ValueTask<PrefetchLease?> AcquireAsync(string key)
    {
        PrefetchLease? lease = null;
        try
        {
            lease = await _coordinator.TryAcquireAsync(key, _leaseTime, _shutdown.Token).ConfigureAwait(false);
        }
        catch (Exception) when (!_shutdown.IsCancellationRequested)
        {
            // Coordinators deny rather than throw; one that throws anyway denies.
        }
        catch (OperationCanceledException)
        {
            return null;
        }

        if (lease is null && !_shutdown.IsCancellationRequested)
        {
            _statistics.OnNotGranted();
        }

        return lease;
    }

    private static async ValueTask ReleaseAsync(PrefetchLease lease)
    {
        try
        {
            await lease.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // A lease that cannot be released lapses by itself after its lease time.
        }
    }

    private async Task<PrefetchedValue?> LoadAsync(string key, PrefetchSource source)
    {
        // One span per origin load (never per cache read); the key is not a tag: unbounded cardinality, maybe personal.
        using Activity? activity = _tracing.Source.StartActivity("predictive_caching.source_load");
        activity?.SetTag("predictive_caching.source", source.Source.GetType().Name);
        try
        {
            // The pipeline times the load out and counts its outcome for the source's breaker.
            PrefetchedValue? value = await source.Pipeline.ExecuteAsync(s_loadOnce, (source.Source, key), _shutdown.Token).ConfigureAwait(false);
            if (value is null)
            {
                _statistics.OnEmpty();
            }

            return value;
        }
        catch (OperationCanceledException) when (_shutdown.IsCancellationRequested)
        {
            return null;
        }
        catch (TimeoutRejectedException)
        {
            _statistics.OnTimedOut();
            Log.PrefetchTimedOut(_logger, source.Name, key);
            return null;
        }
        catch (BrokenCircuitException)
        {
            // Started while the breaker was due for its probe, but another load made the probe.
            _statistics.OnBreakerRejected();
            return null;
        }
        catch (Exception exception)
        {
            _statistics.OnFailed();
            Log.PrefetchSourceFailed(_logger, source.Name, key, exception);
            return null;
        }
    }

    private static async ValueTask<PrefetchedValue?> LoadOnceAsync((IPrefetchSource Source, string Key) state, CancellationToken cancellationToken)
    {
        Task<PrefetchedValue?> load = state.Source.LoadAsync(state.Key, cancellationToken).AsTask();
        try
        {
            // WaitAsync abandons a source that ignores its token, so a hanging origin cannot hold a slot forever.
            return await load.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // A source that ignored its token runs on after WaitAsync gave up; a fault it ends with later must still be observed.
            if (!load.IsCompletedSuccessfully)
            {
                AbandonedTasks.Observe(load);
            }

            throw;
        }
    }

    private DistributedCacheEntryOptions OptionsFor(KeyAccessStatistics entry)
    {
        return new DistributedCacheEntryOptions
        {
            AbsoluteExpirationRelativeToNow = ExpiryArithmetic.PrefetchTimeToLive(entry.LastTimeToLiveTicks, _options.DefaultTimeToLive),
        };
    }

    private PredictiveHybridCache? Hybrid(object? serviceKey)
    {
        if (serviceKey is not null)
        {
            // A keyed HybridCache (AddKeyedHybridSource): a keyed singleton, so this is a lookup, once per prefetch.
            return _services.GetKeyedService<HybridCache>(serviceKey) as PredictiveHybridCache;
        }

        if (!_hybridResolved)
        {
            // Typed values are written through the HybridCache below its decorator, so they are not the application's writes.
            _hybrid = _services.GetService<HybridCache>() as PredictiveHybridCache;
            _hybridResolved = true;
        }

        return _hybrid;
    }

    private IDistributedCache Cache()
    {
        if (_cache is null)
        {
            // Prefetches write below the decorator, so they are not recorded as the application's writes.
            IDistributedCache resolved = _services.GetRequiredService<IDistributedCache>();
            _cache = resolved is PredictiveDistributedCache predictive ? predictive.InnerCache : resolved;
        }

        return _cache;
    }
}
