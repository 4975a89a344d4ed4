using PredictiveCaching.Prefetching;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Loop.Candidates;

/// <summary>
/// Learns which keys are read within <see cref="TrackingOptions.CoAccessWindow"/> of each other, in either order, and
/// proposes a key's confident partners when an episode of it starts (a page and its images, read by many clients at once).
/// </summary>
/// <remarks>
/// <para>
/// Fed by the prefetch cycle with the drained recent reads, in read order, so none of this is on the read path. It
/// keeps the keys read in the last window (at most <see cref="MaxWindowKeys"/>: a busy system shrinks the window
/// rather than growing the cost). An <em>episode</em> of a key is a run of its reads each within the window of the
/// previous one; only the read that starts an episode does work: it counts every key in the window as a partner of
/// the new key (once per episode of the new key) and the new key as a partner of each of them (once per episode of
/// theirs). Pairs in either order are thus counted when the later of the two episodes starts, whatever the order of
/// reads within the window and however clients interleave.
/// </para>
/// <para>
/// Confidence of A → B is B's count in A's table over A's episodes since the table was allocated, proposed when the
/// count reaches <see cref="TrackingOptions.MinCoAccessCount"/>; the strategy's threshold decides. Work per cycle is
/// bounded by the ring (at most its capacity of reads), and per episode start by the window times the table size.
/// Single consumer: only the candidate generator calls it.
/// </para>
/// </remarks>
internal sealed class CoAccess : ICandidateSource
{
    internal const int MaxWindowKeys = 256;

    private readonly AccessTracker _tracker;
    private readonly long _windowTicks;
    private readonly int _minimumCount;
    private readonly bool _enabled;
    private readonly WindowSlot[] _window = new WindowSlot[MaxWindowKeys];
    private readonly Dictionary<KeyAccessStatistics, int> _slotOf = new(MaxWindowKeys, ReferenceEqualityComparer.Instance);
    private readonly List<ReadHint> _started = [];
    private readonly CoAccessLink[] _links;
    private int _count;

    public CoAccess(AccessTracker tracker, TrackingOptions options)
    {
        _tracker = tracker;
        _windowTicks = options.CoAccessWindow.Ticks;
        _minimumCount = Math.Max(1, options.MinCoAccessCount);
        _enabled = options.MaxPartners > 0 && _windowTicks > 0;
        _links = new CoAccessLink[Math.Max(1, options.MaxPartners)];
    }

    /// <summary>Gets how many keys the window holds now (tests).</summary>
    internal int WindowCount => _count;

    public void Collect(CycleReads reads, long nowTicks, List<Candidate> output)
    {
        Observe(reads.All);
        AddCandidates(output);
    }

    /// <summary>Counts co-access among <paramref name="reads"/> (in read order) and remembers the episodes they start.</summary>
    public void Observe(List<ReadHint> reads)
    {
        _started.Clear();
        if (!_enabled)
        {
            return;
        }

        foreach (ReadHint read in reads)
        {
            if (!read.Entry.IsEvicted && Observe(read.Entry, read.Ticks))
            {
                _started.Add(read);
            }
        }
    }

    /// <summary>
    /// Proposes the confident partners of the keys whose episode started in the last <see cref="Observe(List{ReadHint})"/>,
    /// those whose copy is missing or expected to expire within the window (when the partner's read is expected).
    /// </summary>
    public void AddCandidates(List<Candidate> output)
    {
        foreach (ReadHint start in _started)
        {
            if (start.Entry.Partners is not { } partners)
            {
                continue;
            }

            int count = partners.GetConfident(_links, _minimumCount);
            // A partner whose copy outlives the next moments is most likely still there when it is read: partners mostly
            // follow their trigger within seconds, and refreshing a copy that would have served costs a load for nothing.
            long horizon = start.Ticks + (_windowTicks / 6);
            for (int i = 0; i < count; i++)
            {
                CoAccessLink link = _links[i];
                if (!link.Partner.IsExpectedPresentAt(horizon))
                {
                    output.Add(new Candidate(link.Partner.Key, link.Partner, CandidateReason.CoAccess, link.Confidence, false, -1));
                }
            }
        }

        _started.Clear();
    }

    /// <returns><see langword="true"/> when the read started an episode of the key.</returns>
    internal bool Observe(KeyAccessStatistics entry, long ticks)
    {
        if (_slotOf.TryGetValue(entry, out int own) && ticks - _window[own].LastTicks <= _windowTicks)
        {
            // Reads from several threads reach the ring slightly out of order; the window keeps the latest.
            _window[own].LastTicks = Math.Max(_window[own].LastTicks, ticks);
            return false;
        }

        CoAccessPartners? partners = entry.Partners;
        if (partners is not null)
        {
            partners.StartEpisode();
        }
        else if (entry.ReadCount >= 2)
        {
            // Most keys are read once and never get a table; one read again starts counting with this episode.
            partners = _tracker.AllocatePartners(entry);
        }

        int oldest = -1;
        long cutoff = ticks - _windowTicks;

        // Downwards, so that removing a slot (the last one moves into it) never skips one.
        for (int i = _count - 1; i >= 0; i--)
        {
            KeyAccessStatistics other = _window[i].Entry!;
            if (ReferenceEquals(other, entry))
            {
                continue;
            }

            if (_window[i].LastTicks < cutoff || other.IsEvicted)
            {
                RemoveAt(i);
                if (oldest == _count)
                {
                    // The slot remembered as the oldest was the last one, which now sits here.
                    oldest = i;
                }

                continue;
            }

            partners?.Credit(other);
            other.Partners?.Credit(entry);
            if (oldest < 0 || _window[i].LastTicks < _window[oldest].LastTicks)
            {
                oldest = i;
            }
        }

        if (_slotOf.TryGetValue(entry, out own))
        {
            _window[own].LastTicks = ticks;
            return true;
        }

        if (_count == _window.Length)
        {
            RemoveAt(oldest);
        }

        _window[_count] = new WindowSlot(entry, ticks);
        _slotOf[entry] = _count;
        _count++;
        return true;
    }

    private void RemoveAt(int index)
    {
        _slotOf.Remove(_window[index].Entry!);
        int last = --_count;
        if (index != last)
        {
            _window[index] = _window[last];
            _slotOf[_window[index].Entry!] = index;
        }

        _window[last] = default;
    }

    private struct WindowSlot(KeyAccessStatistics entry, long lastTicks)
    {
        public KeyAccessStatistics? Entry = entry;
        public long LastTicks = lastTicks;
    }
}
