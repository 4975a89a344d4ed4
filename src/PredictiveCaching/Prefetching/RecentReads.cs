using PredictiveCaching.Tracking;

namespace PredictiveCaching.Prefetching;

/// <summary>
/// A fixed ring of the keys read most recently, written by the read path without locks or allocation and drained by
/// the prefetch cycle. When the cycle falls behind, the oldest reads are overwritten: they are hints, not a log.
/// </summary>
internal sealed class RecentReads
{
    internal const int DefaultCapacity = 8192;

    private readonly KeyAccessStatistics?[] _slots;
    private readonly int _mask;
    private long _written;
    private long _drained;

    public RecentReads(int capacity = DefaultCapacity)
    {
        int size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, capacity));
        _slots = new KeyAccessStatistics?[size];
        _mask = size - 1;
    }

    public void Add(KeyAccessStatistics entry)
    {
        // Not atomic on purpose: racing readers may share a slot and lose a hint, never corrupt anything, and the
        // read path skips a locked instruction on a line every thread writes.
        long index = Volatile.Read(ref _written);
        Volatile.Write(ref _slots[(int)(index & _mask)], entry);
        Volatile.Write(ref _written, index + 1);
    }

    /// <summary>Copies the reads since the last drain (at most the ring's size) into <paramref name="destination"/>. Single consumer.</summary>
    public int Drain(List<KeyAccessStatistics> destination)
    {
        long end = Volatile.Read(ref _written);
        long start = Math.Max(_drained, end - _slots.Length);
        for (long i = start; i < end; i++)
        {
            if (Volatile.Read(ref _slots[(int)(i & _mask)]) is { } entry)
            {
                destination.Add(entry);
            }
        }

        _drained = end;
        return (int)(end - start);
    }
}
