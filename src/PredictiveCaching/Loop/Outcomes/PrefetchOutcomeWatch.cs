using PredictiveCaching.Tracking;

namespace PredictiveCaching.Loop.Outcomes;

/// <summary>
/// Remembers each prefetched copy until the end of its life (its expiry; the lookahead for one that never expires) and
/// settles it as wasted if it was never read by then. Reads settle used copies on the read path.
/// </summary>
internal sealed class PrefetchOutcomeWatch(PrefetchPrecision accuracy)
{
    private readonly PriorityQueue<(KeyAccessStatistics Entry, int Stamp), long> _due = new();
    private readonly Lock _sync = new();

    public int Count
    {
        get { lock (_sync) { return _due.Count; } }
    }

    public void Watch(KeyAccessStatistics entry, int stamp, long deadlineTicks)
    {
        lock (_sync)
        {
            _due.Enqueue((entry, stamp), deadlineTicks);
        }
    }

    /// <summary>Settles every copy whose window has ended; returns how many were wasted.</summary>
    public int Settle(long nowTicks)
    {
        int wasted = 0;
        while (true)
        {
            (KeyAccessStatistics Entry, int Stamp) item;
            lock (_sync)
            {
                if (!_due.TryPeek(out item, out long deadline) || deadline > nowTicks)
                {
                    return wasted;
                }

                _due.Dequeue();
            }

            if (item.Entry.TrySettleUnreadPrefetch(item.Stamp))
            {
                accuracy.RecordWasted();
                wasted++;
            }
        }
    }
}
