namespace PredictiveCaching.Prefetching;

/// <summary>Running totals of what prefetching did, for status and tests. Updated with interlocked operations.</summary>
internal sealed class PrefetchStatistics
{
    private long _started;
    private long _completed;
    private long _failed;
    private long _timedOut;
    private long _superseded;
    private long _empty;
    private long _notGranted;
    private long _bytes;
    private long _cycles;

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

    public void OnCycle() => Interlocked.Increment(ref _cycles);
}
