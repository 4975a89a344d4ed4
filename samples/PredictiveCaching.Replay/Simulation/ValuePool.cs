namespace PredictiveCaching.Replay.Simulation;

/// <summary>
/// Shared, never-written byte arrays that stand for values of a given size. The replayer never needs the bytes, only
/// their length (the library budgets prefetches by <c>value.Length</c>), and a CDN object can be 500 MB, so sizes are
/// rounded up (to 512 bytes up to 64 KiB, then to steps of 2^(1/4)) and capped at <see cref="MaxBytes"/>: a few dozen
/// arrays, a few MB in all, whatever the trace. Figures about bytes (wasted bytes) use the trace's true sizes.
/// </summary>
internal sealed class ValuePool
{
    public const int MaxBytes = 1 << 20;
    private const int SmallStep = 512;
    private const int SmallLimit = 64 * 1024;

    private readonly Dictionary<int, byte[]> _arrays = [];
    private readonly Lock _sync = new();

    public byte[] Get(long size)
    {
        int length = Round(size);
        lock (_sync)
        {
            if (!_arrays.TryGetValue(length, out byte[]? array))
            {
                array = new byte[length];
                _arrays[length] = array;
            }

            return array;
        }
    }

    internal static int Round(long size)
    {
        if (size <= 0)
        {
            return 0;
        }

        if (size <= SmallLimit)
        {
            return (int)((size + SmallStep - 1) / SmallStep * SmallStep);
        }

        if (size >= MaxBytes)
        {
            return MaxBytes;
        }

        double steps = Math.Ceiling(Math.Log2(size) * 4d);
        return (int)Math.Min(MaxBytes, Math.Ceiling(Math.Pow(2d, steps / 4d)));
    }
}
