using PredictiveCaching.Tracking;

namespace PredictiveCaching.Tracking;

/// <summary>
/// A fixed ring of the keys read most recently, written by the read path without locks or allocation and drained by
/// the prefetch cycle. When the cycle falls behind, the oldest reads are overwritten: they are hints, not a log.
/// </summary>
internal sealed class RecentReads
{
    internal const int DefaultCapacity = 8192;

    private readonly ReadHint[] _slots;
    private readonly int _mask;
    private long _written;
    private long _drained;

    public RecentReads(int capacity = DefaultCapacity)
    {
        int size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, capacity));
        _slots = new ReadHint[size];
        _mask = size - 1;
    }

    public void Add(KeyAccessStatistics entry, long ticks)
    {
        // Not atomic on purpose: racing readers may share a slot and lose a hint, or pair one read's key with another's
        // time (a slot is two words); either only adds noise to successor counts, which Misra-Gries wears away, and the
        // read path skips a locked instruction on a line every thread writes.
        long index = Volatile.Read(ref _written);
        _slots[(int)(index & _mask)] = new ReadHint(entry, ticks);
        Volatile.Write(ref _written, index + 1);
    }

    /// <summary>Copies the reads since the last drain (at most the ring's size), oldest first. Single consumer.</summary>
    public int Drain(List<ReadHint> destination)
    {
        long end = Volatile.Read(ref _written);
        long start = Math.Max(_drained, end - _slots.Length);
        for (long i = start; i < end; i++)
        {
            ReadHint hint = _slots[(int)(i & _mask)];
            if (hint.Entry is not null)
            {
                destination.Add(hint);
            }
        }

        _drained = end;
        return (int)(end - start);
    }
}

/// <summary>A read as the ring remembers it: which key, and when.</summary>
internal readonly record struct ReadHint(KeyAccessStatistics Entry, long Ticks);
