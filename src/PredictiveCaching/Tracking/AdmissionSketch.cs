using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PredictiveCaching.Tracking;

/// <summary>
/// The doorkeeper in front of the tracker: a count-min sketch of the reads of keys that are not tracked, so that a key
/// gets a tracking entry only on its <see cref="TrackingOptions.AdmissionReads"/>-th read, and a stream of keys read
/// once costs a hash and four counter updates per read, never an entry.
/// </summary>
/// <remarks>
/// <para>
/// The shape is Caffeine's <c>FrequencySketch</c> (TinyLFU): 4-bit counters, sixteen to a 64-bit word, eight words to a
/// block of 64 bytes; a key hashes to one block and to one counter in each of four pairs of words, so an update or an
/// estimate touches one block. The estimate is the smallest of the four counters; an update raises only the counters
/// at that minimum (conservative update), which keeps one key's many reads from inflating its neighbours.
/// </para>
/// <para>
/// A read adds 2 (saturating at 15) and, every <see cref="SamplePeriod"/> reads, every counter is halved. A key read
/// once is thus remembered (counter ≥ 1) for one to two periods of reads of untracked keys and then forgotten, and the
/// estimate of a key read repeatedly tracks its recent rate rather than its lifetime count.
/// </para>
/// <para>
/// Sized from the tracking bound: one 8-byte word per tracked key of <see cref="TrackingOptions.MaxTrackedKeys"/>
/// (at most one per 256 B of <see cref="TrackingOptions.MaxTrackedBytes"/>, no entry being smaller), at least one
/// block; the period is half the words, so at its end about one remembered key per word (eight per block) and, with
/// four counters chosen among 32 each, a key never read is taken for one read before about once in 750 reads.
/// </para>
/// <para>
/// Thread safety: none, on purpose. Racing readers may lose each other's increment to a word, or write back a word a
/// halving just halved; either only perturbs counts that are estimates already, and the read path takes no lock and no
/// locked instruction. Halving is one pass over the table on the thread whose read ends a period, at most one at a time
/// (amortised, one word per two reads).
/// </para>
/// </remarks>
internal sealed class AdmissionSketch
{
    private const int WordsPerBlock = 8;
    private const ulong ResetMask = 0x7777_7777_7777_7777UL;
    private const int Step = 2;
    private const int MaxCount = 15;

    private readonly long[] _table;
    private readonly uint _blocks;
    private readonly int _threshold;
    private int _reads;
    private int _halving;

    /// <param name="words">How many 8-byte words of counters (rounded up to whole 64-byte blocks).</param>
    /// <param name="admissionReads">The read of an untracked key that admits it: 2 admits on the second read.</param>
    public AdmissionSketch(int words, int admissionReads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(admissionReads, 2);
        int blocks = Math.Max(1, (words + WordsPerBlock - 1) / WordsPerBlock);
        _blocks = (uint)blocks;
        _table = new long[blocks * WordsPerBlock];
        SamplePeriod = Math.Max(WordsPerBlock, _table.Length / 2);

        // Each earlier read added Step; one halving may have passed since the oldest of them, so a count of
        // Step × (reads − 1) halved once, rounded down, still admits.
        _threshold = Math.Max(1, (Step * (admissionReads - 1)) - 1);
    }

    /// <summary>Gets the bytes the counters take.</summary>
    public long Bytes => _table.Length * sizeof(long);

    /// <summary>Gets how many reads of untracked keys pass between two halvings.</summary>
    public int SamplePeriod { get; }

    /// <summary>
    /// Counts a read of an untracked key and says whether it is the read that admits it: whether the key's earlier
    /// reads, as far as the sketch remembers them, reach <see cref="TrackingOptions.AdmissionReads"/> − 1.
    /// </summary>
    public bool RecordRead(string key)
    {
        ulong hash = Hash(key);
        bool admit = Increment(hash) >= _threshold;
        if (++_reads >= SamplePeriod)
        {
            Halve();
        }

        return admit;
    }

    /// <summary>Whether the key was read (and not admitted) recently: the sketch's count is not zero.</summary>
    public bool WasRead(string key) => Estimate(Hash(key)) > 0;

    /// <summary>
    /// Counts the key as read enough to be admitted on its next read (keys the application hints): raises its counters
    /// to the threshold without touching the sample count, so hints cannot hasten the halving.
    /// </summary>
    public void Expect(string key)
    {
        ulong hash = Hash(key);
        while (Estimate(hash) < _threshold)
        {
            Increment(hash);
        }
    }

    /// <summary>Gets the sketch's estimate of the key's recent reads, in counter units (tests).</summary>
    internal int EstimateOf(string key) => Estimate(Hash(key));

    /// <summary>
    /// A fast hash of the key's UTF-16 code units that is the same in every process (string hash codes are randomised
    /// per process, which would make replays differ from run to run): 8 bytes at a time, then a 64-bit finaliser.
    /// </summary>
    internal static ulong Hash(ReadOnlySpan<char> key)
    {
        ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(key);
        ulong hash = 0x9E37_79B9_7F4A_7C15UL ^ (ulong)bytes.Length;
        while (bytes.Length >= sizeof(ulong))
        {
            hash = BitOperations.RotateLeft((hash ^ BinaryPrimitives.ReadUInt64LittleEndian(bytes)) * 0xFF51_AFD7_ED55_8CCDUL, 29);
            bytes = bytes[sizeof(ulong)..];
        }

        ulong tail = 0;
        for (int i = 0; i < bytes.Length; i++)
        {
            tail = (tail << 8) | bytes[i];
        }

        hash ^= tail;
        hash ^= hash >> 33;
        hash *= 0xFF51_AFD7_ED55_8CCDUL;
        hash ^= hash >> 33;
        hash *= 0xC4CE_B9FE_1A85_EC53UL;
        hash ^= hash >> 33;
        return hash;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int BlockStart(ulong hash) => (int)(((hash >> 32) * _blocks) >> 32) * WordsPerBlock;

    // Counter i of a key: in word 2i or 2i + 1 of its block (bit 4 of byte i of the hash), nibble from bits 0-3 of byte i.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int WordOf(ulong hash, int i) => (2 * i) + (int)((hash >> ((8 * i) + 4)) & 1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ShiftOf(ulong hash, int i) => (int)((hash >> (8 * i)) & 15) * 4;

    private int Estimate(ulong hash)
    {
        ref long block = ref _table[BlockStart(hash)];
        int min = MaxCount;
        for (int i = 0; i < 4; i++)
        {
            int count = (int)((ulong)Unsafe.Add(ref block, WordOf(hash, i)) >> ShiftOf(hash, i)) & 15;
            min = Math.Min(min, count);
        }

        return min;
    }

    /// <returns>The estimate before the increment.</returns>
    private int Increment(ulong hash)
    {
        ref long block = ref _table[BlockStart(hash)];
        int c0 = Count(ref block, hash, 0);
        int c1 = Count(ref block, hash, 1);
        int c2 = Count(ref block, hash, 2);
        int c3 = Count(ref block, hash, 3);
        int min = Math.Min(Math.Min(c0, c1), Math.Min(c2, c3));
        if (min < MaxCount)
        {
            int next = Math.Min(MaxCount, min + Step);
            Raise(ref block, hash, 0, c0, min, next);
            Raise(ref block, hash, 1, c1, min, next);
            Raise(ref block, hash, 2, c2, min, next);
            Raise(ref block, hash, 3, c3, min, next);
        }

        return min;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Count(ref long block, ulong hash, int i) =>
        (int)((ulong)Unsafe.Add(ref block, WordOf(hash, i)) >> ShiftOf(hash, i)) & 15;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Raise(ref long block, ulong hash, int i, int count, int min, int next)
    {
        if (count == min)
        {
            ref long word = ref Unsafe.Add(ref block, WordOf(hash, i));
            int shift = ShiftOf(hash, i);
            word = (long)(((ulong)word & ~(15UL << shift)) | ((ulong)next << shift));
        }
    }

    private void Halve()
    {
        if (Interlocked.Exchange(ref _halving, 1) != 0)
        {
            return;
        }

        _reads = 0;
        Span<long> table = _table;
        for (int i = 0; i < table.Length; i++)
        {
            table[i] = (long)(((ulong)table[i] >> 1) & ResetMask);
        }

        Volatile.Write(ref _halving, 0);
    }
}
