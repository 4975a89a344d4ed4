using System.Runtime.InteropServices;

namespace PredictiveCaching.Diagnostics;

/// <summary>
/// A counter for the read path: each thread increments a slot on its own cache line (chosen by managed thread id), so
/// concurrent readers never contend; the total is summed only when metrics are collected.
/// </summary>
internal sealed class StripedCounter
{
    private readonly PaddedLong[] _slots;
    private readonly int _mask;

    public StripedCounter()
    {
        int stripes = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(4, Environment.ProcessorCount * 2));
        _slots = new PaddedLong[stripes];
        _mask = stripes - 1;
    }

    public void Increment() => Interlocked.Increment(ref _slots[Environment.CurrentManagedThreadId & _mask].Value);

    public long Sum()
    {
        long total = 0;
        for (int i = 0; i < _slots.Length; i++)
        {
            total += Volatile.Read(ref _slots[i].Value);
        }

        return total;
    }

    // 64 bytes: one cache line per slot, so two threads never write the same line.
    [StructLayout(LayoutKind.Explicit, Size = 64)]
    private struct PaddedLong
    {
        [FieldOffset(0)]
        public long Value;
    }
}
