using PredictiveCaching.Tracking;

namespace PredictiveCaching.Loop.Candidates;

/// <summary>The reads a cycle drained: every read in read order, and each tracked key read once, in first-read order.</summary>
internal sealed class CycleReads
{
    private readonly HashSet<KeyAccessStatistics> _seen = new(ReferenceEqualityComparer.Instance);

    /// <summary>Gets every read since the last cycle, in read order (a key read twice appears twice).</summary>
    public List<ReadHint> All { get; } = [];

    /// <summary>Gets the keys read since the last cycle and still tracked, each once.</summary>
    public List<KeyAccessStatistics> Keys { get; } = [];

    /// <summary>Drains <paramref name="recentReads"/> into this batch, replacing the previous one.</summary>
    public void DrainFrom(RecentReads recentReads, AccessTracker? tracker = null)
    {
        All.Clear();
        Keys.Clear();
        _seen.Clear();
        recentReads.Drain(All, tracker);
        foreach (ReadHint read in All)
        {
            if (!read.Entry.IsEvicted && _seen.Add(read.Entry))
            {
                Keys.Add(read.Entry);
            }
        }
    }
}
