namespace PredictiveCaching.Replay.Policies;

/// <summary>
/// The byte budget <c>refresh-ahead-budget</c> is held to: the bytes reloaded within the last window (a sliding window,
/// as the library's strategies count theirs), so that refresh-ahead can be compared with a strategy at equal bytes.
/// </summary>
internal sealed class RefreshBudget
{
    private readonly Queue<(long Ticks, long Bytes)> _spent = new();
    private long _spentBytes;

    public RefreshBudget(long bytes, TimeSpan window)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        Bytes = bytes;
        Window = window;
    }

    public long Bytes { get; }

    public TimeSpan Window { get; }

    /// <summary>Spends <paramref name="size"/> bytes at <paramref name="nowTicks"/> when the window still has them.</summary>
    public bool TrySpend(long size, long nowTicks)
    {
        long cutoff = nowTicks - Window.Ticks;
        while (_spent.TryPeek(out (long Ticks, long Bytes) oldest) && oldest.Ticks <= cutoff)
        {
            _spent.Dequeue();
            _spentBytes -= oldest.Bytes;
        }

        size = Math.Max(0, size);
        if (_spentBytes + size > Bytes)
        {
            return false;
        }

        _spent.Enqueue((nowTicks, size));
        _spentBytes += size;
        return true;
    }
}
