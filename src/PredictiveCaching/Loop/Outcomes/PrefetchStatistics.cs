using PredictiveCaching.Prefetching;

namespace PredictiveCaching.Loop.Outcomes;

/// <summary>Running totals of what prefetching did, for status and tests. Updated with interlocked operations.</summary>
internal sealed class PrefetchStatistics
{
    private long _started;
    private long _bytesForHybrid;
    private long _completed;
    private long _failed;
    private long _timedOut;
    private long _superseded;
    private long _empty;
    private long _notGranted;
    private long _bytes;
    private long _cycles;
    private long _pausedCycles;
    private long _skippedPresent;
    private long _skippedBelowThreshold;
    private long _skippedNoSource;
    private long _skippedBudget;
    private long _skippedInFlight;
    private long _skippedSaturated;
    private long _skippedBreakerOpen;
    private long _skippedSourceBusy;
    private long _skippedOversize;
    private long _canLoadFailed;
    private long _breakerOpenings;

    public long Started => Interlocked.Read(ref _started);

    public long Completed => Interlocked.Read(ref _completed);

    public long Failed => Interlocked.Read(ref _failed);

    public long TimedOut => Interlocked.Read(ref _timedOut);

    /// <summary>Gets how many prefetches were dropped because the application wrote or removed the key meanwhile.</summary>
    public long Superseded => Interlocked.Read(ref _superseded);

    /// <summary>Gets how many loads returned nothing for the key.</summary>
    public long Empty => Interlocked.Read(ref _empty);

    /// <summary>Gets how many prefetches were skipped because the coordinator did not grant the key.</summary>
    public long NotGranted => Interlocked.Read(ref _notGranted);

    public long BytesPrefetched => Interlocked.Read(ref _bytes);

    public long Cycles => Interlocked.Read(ref _cycles);

    public void OnStarted() => Interlocked.Increment(ref _started);

    /// <summary>Gets the raw-bytes values loaded for keys read through HybridCache, not written and counted as wasted.</summary>
    public long BytesForHybridCache => Interlocked.Read(ref _bytesForHybrid);

    public void OnBytesForHybridCache() => Interlocked.Increment(ref _bytesForHybrid);

    public void OnCompleted(long bytes)
    {
        Interlocked.Increment(ref _completed);
        Interlocked.Add(ref _bytes, bytes);
    }

    public void OnFailed() => Interlocked.Increment(ref _failed);

    public void OnTimedOut() => Interlocked.Increment(ref _timedOut);

    public void OnSuperseded() => Interlocked.Increment(ref _superseded);

    public void OnEmpty() => Interlocked.Increment(ref _empty);

    public void OnNotGranted() => Interlocked.Increment(ref _notGranted);

    /// <summary>Gets how many loaded values were not written because they were over the per-value cap or the budget left.</summary>
    public long SkippedOversize => Interlocked.Read(ref _skippedOversize);

    public void OnOversize() => Interlocked.Increment(ref _skippedOversize);

    /// <summary>Gets how many calls of a source's <see cref="IPrefetchSource.CanLoad"/> threw.</summary>
    public long CanLoadFailed => Interlocked.Read(ref _canLoadFailed);

    public void OnCanLoadFailed() => Interlocked.Increment(ref _canLoadFailed);

    /// <summary>Gets how many times a source's circuit breaker opened.</summary>
    public long BreakerOpenings => Interlocked.Read(ref _breakerOpenings);

    public void OnBreakerOpened() => Interlocked.Increment(ref _breakerOpenings);

    /// <summary>Gets how many prefetches were skipped because their source's breaker was open, at start or (a race) at load.</summary>
    public long SkippedBreakerOpen => Interlocked.Read(ref _skippedBreakerOpen);

    public void OnBreakerRejected() => Interlocked.Increment(ref _skippedBreakerOpen);

    public void OnCycle() => Interlocked.Increment(ref _cycles);

    public long PausedCycles => Interlocked.Read(ref _pausedCycles);

    /// <summary>Adds what a cycle or warming batch skipped, by reason.</summary>
    public void OnDispatched(PrefetchCycleResult result)
    {
        if (result.PausedReason is not null)
        {
            Interlocked.Increment(ref _pausedCycles);
        }

        Interlocked.Add(ref _skippedPresent, result.SkippedPresent);
        Interlocked.Add(ref _skippedBelowThreshold, result.SkippedBelowThreshold);
        Interlocked.Add(ref _skippedNoSource, result.SkippedNoSource);
        Interlocked.Add(ref _skippedBudget, result.SkippedBudget);
        Interlocked.Add(ref _skippedInFlight, result.SkippedInFlight);
        Interlocked.Add(ref _skippedSaturated, result.SkippedSaturated);
        Interlocked.Add(ref _skippedBreakerOpen, result.SkippedBreakerOpen);
        Interlocked.Add(ref _skippedSourceBusy, result.SkippedSourceBusy);
        Interlocked.Add(ref _skippedOversize, result.SkippedOversize);
    }

    /// <summary>Returns the skip counts with their reason tags, for metrics.</summary>
    public (string Reason, long Count)[] SkippedByReason() =>
    [
        ("present", Interlocked.Read(ref _skippedPresent)),
        ("below_threshold", Interlocked.Read(ref _skippedBelowThreshold)),
        ("no_source", Interlocked.Read(ref _skippedNoSource)),
        ("budget", Interlocked.Read(ref _skippedBudget)),
        ("in_flight", Interlocked.Read(ref _skippedInFlight)),
        ("saturated", Interlocked.Read(ref _skippedSaturated)),
        ("breaker_open", SkippedBreakerOpen),
        ("source_busy", Interlocked.Read(ref _skippedSourceBusy)),
        ("oversize", SkippedOversize),
    ];
}
