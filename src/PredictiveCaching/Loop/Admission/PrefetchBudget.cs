namespace PredictiveCaching.Loop.Admission;

/// <summary>
/// The bytes prefetched within the last lookahead window (a sliding window), plus bytes reserved by loads in flight;
/// a prefetch starts only when its predicted size still fits the strategy's budget.
/// </summary>
internal sealed class PrefetchBudget
{
    private readonly Queue<(long Ticks, long Bytes)> _spent = new();
    private readonly Lock _sync = new();
    private long _spentBytes;
    private long _reservedBytes;

    public long SpentBytes
    {
        get { lock (_sync) { return _spentBytes; } }
    }

    public long Remaining(long nowTicks, TimeSpan window, long budget)
    {
        lock (_sync)
        {
            Expire(nowTicks, window);
            return Math.Max(0, budget - _spentBytes - _reservedBytes);
        }
    }

    public bool TryReserve(long bytes, long nowTicks, TimeSpan window, long budget)
    {
        bytes = Math.Max(0, bytes);
        lock (_sync)
        {
            Expire(nowTicks, window);
            if (_spentBytes + _reservedBytes + bytes > budget)
            {
                return false;
            }

            _reservedBytes += bytes;
            return true;
        }
    }

    /// <summary>
    /// Replaces a reservation by the loaded value's actual size when that still fits the budget; otherwise leaves the
    /// reservation as it was (the caller releases it) and returns <see langword="false"/>.
    /// </summary>
    public bool TryResize(long reserved, long actual, long nowTicks, TimeSpan window, long budget)
    {
        reserved = Math.Max(0, reserved);
        lock (_sync)
        {
            Expire(nowTicks, window);
            if (_spentBytes + (_reservedBytes - reserved) + actual > budget)
            {
                return false;
            }

            _reservedBytes += actual - reserved;
            return true;
        }
    }

    /// <summary>Turns a reservation into spending of the actual size (which may differ from the prediction).</summary>
    public void Commit(long reserved, long actual, long nowTicks)
    {
        lock (_sync)
        {
            _reservedBytes -= Math.Max(0, reserved);
            _spent.Enqueue((nowTicks, actual));
            _spentBytes += actual;
        }
    }

    public void Release(long reserved)
    {
        lock (_sync)
        {
            _reservedBytes -= Math.Max(0, reserved);
        }
    }

    private void Expire(long nowTicks, TimeSpan window)
    {
        long cutoff = nowTicks - window.Ticks;
        while (_spent.TryPeek(out (long Ticks, long Bytes) oldest) && oldest.Ticks <= cutoff)
        {
            _spent.Dequeue();
            _spentBytes -= oldest.Bytes;
        }
    }
}
