using PredictiveCaching.Tracking;

namespace PredictiveCaching.Tracking;

/// <summary>
/// A fixed ring of the keys read most recently, written by the read path without locks or allocation and drained by
/// the prefetch cycle. When the cycle falls behind, the oldest reads are overwritten: they are hints, not a log.
/// </summary>
/// <remarks>
/// A read the admission doorkeeper did not admit is kept by its key string (the application's own, so nothing is
/// allocated) and resolved when drained: if the key has an entry by then (the application wrote it after the miss, a
/// second read admitted it), the cycle sees that read in its place, as it would have without the doorkeeper; otherwise
/// the read is dropped. Links, co-access windows and expiry decisions therefore still see a key's first read.
/// </remarks>
internal sealed class RecentReads
{
    internal const int DefaultCapacity = 8192;

    private readonly Slot[] _slots;
    private readonly int _mask;
    private long _written;
    private long _drained;

    public RecentReads(int capacity = DefaultCapacity)
    {
        int size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, capacity));
        _slots = new Slot[size];
        _mask = size - 1;
    }

    public void Add(KeyAccessStatistics entry, long ticks) => Add((object)entry, ticks);

    /// <summary>Remembers a read of a key that has no entry (not admitted), by its key.</summary>
    public void AddUntracked(string key, long ticks) => Add((object)key, ticks);

    private void Add(object subject, long ticks)
    {
        // Not atomic on purpose: racing readers may share a slot and lose a hint, or pair one read's key with another's
        // time (a slot is two words); either only adds noise to successor counts, which Misra-Gries wears away, and the
        // read path skips a locked instruction on a line every thread writes.
        long index = Volatile.Read(ref _written);
        _slots[(int)(index & _mask)] = new Slot(subject, ticks);
        Volatile.Write(ref _written, index + 1);
    }

    /// <summary>
    /// Copies the reads since the last drain (at most the ring's size), oldest first; a read kept by its key is looked
    /// up in <paramref name="tracker"/> and dropped when the key has no entry. Single consumer.
    /// </summary>
    public int Drain(List<ReadHint> destination, AccessTracker? tracker = null)
    {
        long end = Volatile.Read(ref _written);
        long start = Math.Max(_drained, end - _slots.Length);
        for (long i = start; i < end; i++)
        {
            Slot slot = _slots[(int)(i & _mask)];
            if (slot.Subject is KeyAccessStatistics entry)
            {
                destination.Add(new ReadHint(entry, slot.Ticks));
            }
            else if (slot.Subject is string key && tracker is not null && tracker.TryGet(key, out KeyAccessStatistics? admitted))
            {
                destination.Add(new ReadHint(admitted, slot.Ticks));
            }
        }

        _drained = end;
        return (int)(end - start);
    }

    /// <summary>A slot: the key's entry, or the key itself when it had none; and the time of the read.</summary>
    private readonly record struct Slot(object? Subject, long Ticks);
}

/// <summary>A read as the cycle sees it: which key, and when.</summary>
internal readonly record struct ReadHint(KeyAccessStatistics Entry, long Ticks);
