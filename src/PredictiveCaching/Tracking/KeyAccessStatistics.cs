using System.Runtime.CompilerServices;
using Microsoft.Extensions.Caching.Distributed;

namespace PredictiveCaching.Tracking;

/// <summary>
/// What has been observed about one cache key: its reads, its writes and what they imply about the cached copy.
/// </summary>
/// <remarks>
/// Instances are owned by <see cref="AccessTracker"/> and updated under a private spin gate of the instance (one
/// interlocked exchange when uncontended), so that no lock is shared between keys and no outside code can take it. Reads of single properties are not synchronised with writers and may be a
/// moment old; times are UTC ticks (<see cref="DateTimeOffset.UtcTicks"/>) taken from the configured
/// <see cref="TimeProvider"/>.
/// <para>Internal: the mutable tracker object is not handed out; predictors and feature extractors see a
/// <see cref="KeyAccessSnapshot"/> taken by <see cref="Snapshot"/>.</para>
/// </remarks>
internal sealed class KeyAccessStatistics
{
    internal const long NoExpiry = long.MaxValue;

    // Layout (see docs/tracking.md#footprint): 136 B on 64-bit .NET, down from 192 B. Ten 8-byte times, counts and sums,
    // two references, three ints and four bytes; the interval sum is derived rather than stored, the flags share bytes,
    // and what few keys need (the prefetch write in progress, the partner table) lives in a lazily allocated Extras.
    private long _firstReadTicks;
    private long _lastReadTicks;
    private long _lastAccessTicks;
    private long _readCount;
    private long _hitCount;
    // Inter-arrival statistics shifted by the first interval (the shifted-data algorithm): a read adds one square
    // without dividing, so the read path has no division on its chain from one read of a key to the next, and shifting
    // by a typical interval keeps the variance free of the cancellation that plain sums of squares suffer. The sum of
    // the shifted intervals is not stored: the intervals telescope to last read − first read (ShiftedIntervalSumUnsafe).
    private long _intervalShiftTicks;
    private double _shiftedIntervalSquares;
    private long _absoluteExpiryTicks = NoExpiry;
    private long _slidingTicks;
    private long _lastTimeToLiveTicks;
    private long _copyWrittenTicks;
    // A value's size: byte[] lengths are ints; larger estimates saturate.
    private int _lastSize = -1;
    private int _writeVersion;
    private int _pendingApplicationWrites;

    // The successor array (SuccessorSlot[]) or, once the key needs one, the Extras that holds it: one reference for
    // the common key. Written under the gate; published with a volatile write, since Partners reads it without.
    private object? _tables;

    // The private spin gate (bit Gate) and the flags changed only under it, in one byte: taking the gate is one
    // compare-exchange on the byte, and the flags are plain writes while it is held. Readers outside the gate read
    // the byte as a whole (a moment old, as every unsynchronised property here). ReadsOfCopy saturates at 3: its
    // only use is "0, 1, or 2 and more" (ExpiryOutcomeBins).
    private byte _state;
    private const int Gate = 1;
    private const int Present = 2;
    private const int LastReadHit = 4;
    private const int PrefetchedCopy = 8;
    private const int ReadSincePrefetch = 16;
    private const int HybridReader = 32;
    private const int ReadsOfCopyShift = 6;
    private const int ReadsOfCopyMask = 3 << ReadsOfCopyShift;

    // Eviction bookkeeping, see AccessTracker: read since the entry last entered its queue. Its own byte: every read
    // after the first sets it, without a locked instruction.
    private volatile bool _referenced;

    // Marks changed off the read path by different threads (the evicting thread, the prefetch cycle): evicted,
    // protected, and the last expiry outcome (two bits). Changed by compare-exchange, read volatile.
    private byte _marks;
    private const int Evicted = 1;
    private const int Protected = 2;
    private const int ExpiryOutcomeShift = 2;
    private const int ExpiryOutcomeMask = 3 << ExpiryOutcomeShift;

    // HybridCache factory calls, wrapping: the decorator only compares it before and after one GetOrCreate, during
    // which HybridCache runs at most one factory for the key (its stampede protection).
    private byte _factoryCalls;

    internal KeyAccessStatistics(string key) => Key = key;

    /// <summary>Counts HybridCache factory calls for the key, so its decorator tells a hit from a miss without a closure.</summary>
    internal int FactoryCalls => Volatile.Read(ref _factoryCalls);

    internal void OnFactoryCall()
    {
        byte current;
        do
        {
            current = Volatile.Read(ref _factoryCalls);
        }
        while (Interlocked.CompareExchange(ref _factoryCalls, unchecked((byte)(current + 1)), current) != current);
    }

    /// <summary>
    /// Gets or sets whether the key is read through the HybridCache decorator: a raw-bytes prefetch of such a key is
    /// never usable (HybridCache ignores L2 entries it did not frame). Set once; callers check before setting, so steady
    /// reads only read the byte.
    /// </summary>
    internal bool ReadThroughHybridCache
    {
        get => (Volatile.Read(ref _state) & HybridReader) != 0;
        set
        {
            using (Acquire())
            {
                _state = (byte)(value ? _state | HybridReader : _state & ~HybridReader);
            }
        }
    }

    /// <summary>Gets or sets whether the entry is on the protected queue; only the evicting thread sets it.</summary>
    internal bool IsProtected
    {
        get => (Volatile.Read(ref _marks) & Protected) != 0;
        set => SetMarks(Protected, value ? Protected : 0);
    }

    /// <summary>Gets the cache key.</summary>
    public string Key { get; }

    /// <summary>Gets how many reads of the key were observed.</summary>
    public long ReadCount => Volatile.Read(ref _readCount);

    /// <summary>Gets how many of the observed reads found a value.</summary>
    public long HitCount => Volatile.Read(ref _hitCount);

    /// <summary>Gets the time of the first observed read, in UTC ticks; 0 before any read.</summary>
    public long FirstReadTicks => Volatile.Read(ref _firstReadTicks);

    /// <summary>Gets the time of the last observed read, in UTC ticks; 0 before any read.</summary>
    public long LastReadTicks => Volatile.Read(ref _lastReadTicks);

    /// <summary>Gets the mean time between consecutive reads, in seconds; 0 with fewer than two reads.</summary>
    public double MeanIntervalSeconds
    {
        get { using (Acquire()) { return MeanIntervalUnsafe(); } }
    }

    /// <summary>Gets the sample variance of the time between consecutive reads, in seconds squared; 0 with fewer than three reads.</summary>
    public double IntervalVariance
    {
        get
        {
            using (Acquire())
            {
                return IntervalVarianceUnsafe();
            }
        }
    }

    /// <summary>Gets the standard deviation of the time between consecutive reads, in seconds.</summary>
    public double IntervalStandardDeviation => Math.Sqrt(IntervalVariance);

    /// <summary>Gets the size in bytes of the value last read or written; -1 when unknown.</summary>
    public long LastSize => Volatile.Read(ref _lastSize);

    /// <summary>Gets a value indicating whether the last observed read found a value.</summary>
    public bool LastReadWasHit => HasState(LastReadHit);

    /// <summary>Gets a value indicating whether a copy is believed to be in the cache (written and not removed or known to have missed).</summary>
    public bool IsPresent => HasState(Present);

    /// <summary>Gets a value indicating whether the current copy was written by a prefetch rather than by the application.</summary>
    public bool IsPrefetchedCopy => HasState(PrefetchedCopy);

    /// <summary>Gets a value indicating whether the current prefetched copy has been read since it was written.</summary>
    public bool PrefetchedCopyRead => HasState(ReadSincePrefetch);

    /// <summary>
    /// Gets how long the application's last write was meant to live (relative, absolute or sliding expiry, whichever
    /// is shortest), in ticks; 0 when that write never expires or no write was seen.
    /// </summary>
    public long LastTimeToLiveTicks => Volatile.Read(ref _lastTimeToLiveTicks);

    /// <summary>Gets a counter that changes on every prefetched write of the key.</summary>
    internal int PrefetchStamp => Volatile.Read(ref _tables) is Extras extras ? Volatile.Read(ref extras.PrefetchStamp) : 0;

    /// <summary>Gets when the copy in the cache was written (by the application or a prefetch), in UTC ticks; 0 before any write.</summary>
    internal long CopyWrittenTicks => Volatile.Read(ref _copyWrittenTicks);

    /// <summary>
    /// Gets a hash of the key that is the same in every process (string and object hash codes are randomised per
    /// process), so that what is derived from it — the co-access doorkeeper — repeats from run to run.
    /// </summary>
    /// <remarks>Computed on each call rather than stored (4 B a key): only the co-access doorkeeper asks, for a newcomer to a full table.</remarks>
    internal int StableHash
    {
        get
        {
            // FNV-1a over the UTF-16 code units, the low bit set (0 once meant "not computed"; kept for the same values).
            uint value = 2166136261u;
            foreach (char c in Key)
            {
                value = (value ^ c) * 16777619u;
            }

            return (int)value | 1;
        }
    }

    /// <summary>Gets how many reads the copy in the cache has served since it was written, saturating at 3.</summary>
    internal int ReadsOfCopy => (Volatile.Read(ref _state) & ReadsOfCopyMask) >> ReadsOfCopyShift;

    /// <summary>
    /// Gets or sets what followed this key's last evaluated expiry: 1 read within the window after it, -1 not, 0 unknown.
    /// Only the prefetch cycle reads or writes it.
    /// </summary>
    internal sbyte LastExpiryOutcome
    {
        // Two bits: 0 unknown (a new entry's), 1 read, 2 not read.
        get => ((Volatile.Read(ref _marks) & ExpiryOutcomeMask) >> ExpiryOutcomeShift) switch { 1 => 1, 2 => -1, _ => 0 };
        set => SetMarks(ExpiryOutcomeMask, (value > 0 ? 1 : value < 0 ? 2 : 0) << ExpiryOutcomeShift);
    }

    /// <summary>Gets a counter that changes on every application write or removal of the key.</summary>
    public int WriteVersion => Volatile.Read(ref _writeVersion);

    internal bool IsEvicted => (Volatile.Read(ref _marks) & Evicted) != 0;

    /// <summary>Gets the time of the last hit, write or refresh, in UTC ticks; 0 before any.</summary>
    internal long LastAccessTicks => Volatile.Read(ref _lastAccessTicks);

    /// <summary>
    /// Gets when the current copy is expected to expire, in UTC ticks, from the entry options of the last write
    /// (absolute, relative to now, or sliding from the last access); <see cref="long.MaxValue"/> when it never expires.
    /// </summary>
    public long ExpectedExpiryTicks
    {
        get
        {
            using (Acquire())
            {
                return ExpiryUnsafe();
            }
        }
    }

    /// <summary>
    /// Returns whether a read at <paramref name="atTicks"/> would find the current copy, as far as the tracker knows.
    /// </summary>
    /// <param name="atTicks">The time of the hypothetical read, in UTC ticks.</param>
    /// <returns><see langword="true"/> when a copy is present and not expected to have expired by then.</returns>
    public bool IsExpectedPresentAt(long atTicks)
    {
        using (Acquire())
        {
            return (_state & Present) != 0 && ExpiryUnsafe() > atTicks;
        }
    }

    /// <summary>
    /// Copies the successor keys observed at least <paramref name="minimumCount"/> times into <paramref name="destination"/>,
    /// most frequent first is not guaranteed; returns how many were written.
    /// </summary>
    /// <param name="destination">Where to write the links.</param>
    /// <param name="minimumCount">How often a successor must have followed this key to count as a link.</param>
    /// <returns>The number of links written.</returns>
    internal int GetSuccessors(Span<SuccessorLink> destination, int minimumCount = 2)
    {
        int written = 0;
        using (Acquire())
        {
            SuccessorSlot[]? successors = SuccessorsUnsafe;
            if (successors is null)
            {
                return 0;
            }

            foreach (ref readonly SuccessorSlot slot in successors.AsSpan())
            {
                if (written == destination.Length)
                {
                    break;
                }

                if (slot.Entry is { IsEvicted: false } entry && slot.Count >= minimumCount)
                {
                    destination[written++] = new SuccessorLink(entry, slot.Count);
                }
            }
        }

        return written;
    }

    /// <summary>Copies every statistic under one lock, for callers that read several of them (feature extraction).</summary>
    /// <returns>A consistent copy.</returns>
    internal KeyAccessSnapshot Snapshot()
    {
        using (Acquire())
        {
            return new KeyAccessSnapshot
            {
                ReadCount = _readCount,
                HitCount = _hitCount,
                FirstReadTicks = _firstReadTicks,
                LastReadTicks = _lastReadTicks,
                LastAccessTicks = _lastAccessTicks,
                MeanIntervalSeconds = MeanIntervalUnsafe(),
                IntervalVariance = IntervalVarianceUnsafe(),
                LastSize = _lastSize,
                ExpectedExpiryTicks = ExpiryUnsafe(),
                IsPresent = (_state & Present) != 0,
                LastReadWasHit = (_state & LastReadHit) != 0,
                IsPrefetchedCopy = (_state & PrefetchedCopy) != 0,
                PrefetchedCopyRead = (_state & ReadSincePrefetch) != 0,
                WriteVersion = _writeVersion,
            };
        }
    }

    internal ReadOutcome RecordRead(bool hit, long size, long nowTicks)
    {
        using (Acquire())
        {
            ReadOutcome outcome = ReadOutcome.None;
            if (_readCount == 0)
            {
                _firstReadTicks = nowTicks;
            }
            else
            {
                long interval = nowTicks - _lastReadTicks;
                if (_readCount == 1)
                {
                    _intervalShiftTicks = interval;
                }

                double shifted = interval - _intervalShiftTicks;
                _shiftedIntervalSquares += shifted * shifted;
                _referenced = true;
            }

            _readCount++;
            _lastReadTicks = nowTicks;
            int state = _state;
            if (hit)
            {
                _hitCount++;
                if ((state & ReadsOfCopyMask) != ReadsOfCopyMask)
                {
                    state += 1 << ReadsOfCopyShift;
                }

                state |= Present | LastReadHit;
                _lastAccessTicks = nowTicks;
                if (size >= 0)
                {
                    _lastSize = ClampSize(size);
                }

                if ((state & (PrefetchedCopy | ReadSincePrefetch)) == PrefetchedCopy)
                {
                    state |= ReadSincePrefetch;
                    outcome = ReadOutcome.FirstReadOfPrefetchedCopy;
                }
            }
            else
            {
                outcome = (state & (PrefetchedCopy | ReadSincePrefetch)) == PrefetchedCopy ? ReadOutcome.MissAfterUnreadPrefetch : ReadOutcome.Miss;
                state &= ~(Present | LastReadHit | PrefetchedCopy);
            }

            _state = (byte)state;
            return outcome;
        }
    }

    /// <summary>
    /// Counts a read the admission doorkeeper saw before the key had an entry (a miss, in cache-aside, just before the
    /// application's write that admitted it), at <paramref name="nowTicks"/>: only when no read is recorded yet, and
    /// without touching what the entry knows of the copy.
    /// </summary>
    /// <returns><see langword="true"/> when the read was counted.</returns>
    internal bool RecordEarlierRead(long nowTicks)
    {
        using (Acquire())
        {
            if (_readCount != 0)
            {
                return false;
            }

            _readCount = 1;
            _firstReadTicks = nowTicks;
            _lastReadTicks = nowTicks;
            return true;
        }
    }

    /// <summary>Remembers the size of a value a prefetch loaded but did not write, so the next prediction expects it.</summary>
    internal void RecordLoadedSize(long size)
    {
        using (Acquire())
        {
            _lastSize = ClampSize(size);
        }
    }

    /// <returns><see langword="true"/> when the write replaced a prefetched copy that was never read.</returns>
    internal bool RecordWrite(long size, DistributedCacheEntryOptions? options, long nowTicks, bool prefetched)
    {
        using (Acquire())
        {
            // A prefetched copy replaced unread was wasted, whoever replaces it: a later prefetch too, before the copy's
            // own outcome was settled (its watch then finds another stamp and would count nothing).
            int state = _state;
            bool wastedPrefetch = (state & (PrefetchedCopy | ReadSincePrefetch)) == PrefetchedCopy;
            // The application's write version moves in BeginApplicationWrite, before the inner write starts.
            if (prefetched)
            {
                // The prefetch executor took the write (TryBeginPrefetchWrite), which gave the entry its Extras; a caller
                // that records a prefetched write without it gets one here, not counted in the tracker's bytes.
                Extras extras = ExtrasUnsafe(counted: false, out _);
                Volatile.Write(ref extras.PrefetchStamp, extras.PrefetchStamp + 1);
            }

            state = (state & ~(ReadsOfCopyMask | PrefetchedCopy | ReadSincePrefetch)) | Present | (prefetched ? PrefetchedCopy : 0);
            _state = (byte)state;
            _lastSize = ClampSize(size);
            _lastAccessTicks = nowTicks;
            _copyWrittenTicks = nowTicks;
            _absoluteExpiryTicks = NoExpiry;
            _slidingTicks = 0;
            if (options is not null)
            {
                if (options.AbsoluteExpiration is { } absolute)
                {
                    _absoluteExpiryTicks = absolute.UtcTicks;
                }

                if (options.AbsoluteExpirationRelativeToNow is { } relative)
                {
                    _absoluteExpiryTicks = Math.Min(_absoluteExpiryTicks, ExpiryArithmetic.SaturatingAdd(nowTicks, relative.Ticks));
                }

                if (options.SlidingExpiration is { } sliding)
                {
                    _slidingTicks = sliding.Ticks;
                }
            }

            if (!prefetched)
            {
                long expiry = ExpiryUnsafe();
                // Saturating, like every sum here: a copy already expired (a negative relative expiry) must not wrap into
                // a lifetime of centuries. A past expiry yields 0, which prefetches treat like "no expiry" (the default).
                _lastTimeToLiveTicks = expiry == NoExpiry ? 0 : Math.Max(0, ExpiryArithmetic.SaturatingAdd(expiry, -nowTicks));
            }

            return wastedPrefetch;
        }
    }

    /// <returns><see langword="true"/> when the removal dropped a prefetched copy that was never read.</returns>
    internal bool RecordRemove()
    {
        using (Acquire())
        {
            int state = _state;
            bool wastedPrefetch = (state & (PrefetchedCopy | ReadSincePrefetch)) == PrefetchedCopy;
            _state = (byte)(state & ~(Present | PrefetchedCopy | ReadSincePrefetch));
            return wastedPrefetch;
        }
    }

    /// <summary>
    /// Fences an application write or removal against prefetches: a prefetch that has not started writing will not,
    /// and one that is writing is returned so the application's write can wait for it and land last.
    /// </summary>
    /// <returns>The prefetch write in progress, or <see langword="null"/>.</returns>
    internal Task? BeginApplicationWrite()
    {
        using (Acquire())
        {
            _pendingApplicationWrites++;
            _writeVersion++;
            return (_tables as Extras)?.PrefetchWrite?.Task;
        }
    }

    internal void EndApplicationWrite()
    {
        using (Acquire())
        {
            _pendingApplicationWrites--;
        }
    }

    /// <summary>
    /// Claims the right to write a prefetched value: refused when the application wrote or removed the key since the
    /// prefetch began (<paramref name="expectedVersion"/>), is writing it now, or another prefetch is writing it.
    /// </summary>
    /// <param name="expectedVersion">The write version the prefetch began with.</param>
    /// <param name="allocatedExtras">Whether this call gave the entry its Extras (the tracker counts their bytes).</param>
    internal TaskCompletionSource? TryBeginPrefetchWrite(int expectedVersion, out bool allocatedExtras)
    {
        using (Acquire())
        {
            allocatedExtras = false;
            if ((_marks & Evicted) != 0 || _pendingApplicationWrites > 0 || _writeVersion != expectedVersion || (_tables as Extras)?.PrefetchWrite is not null)
            {
                return null;
            }

            return ExtrasUnsafe(counted: true, out allocatedExtras).PrefetchWrite = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    internal void EndPrefetchWrite(TaskCompletionSource write)
    {
        using (Acquire())
        {
            if (_tables is Extras extras && ReferenceEquals(extras.PrefetchWrite, write))
            {
                extras.PrefetchWrite = null;
            }
        }

        write.TrySetResult();
    }

    /// <summary>
    /// Settles the prefetched copy written with <paramref name="stamp"/> as wasted when it is still there unread at the
    /// end of its window; later reads of it then count as ordinary hits rather than as a used prefetch.
    /// </summary>
    /// <returns><see langword="true"/> when the copy was unread and is now settled as wasted.</returns>
    internal bool TrySettleUnreadPrefetch(int stamp)
    {
        using (Acquire())
        {
            if ((_state & (PrefetchedCopy | ReadSincePrefetch)) == PrefetchedCopy && PrefetchStamp == stamp)
            {
                _state = (byte)(_state & ~PrefetchedCopy);
                return true;
            }

            return false;
        }
    }

    internal void RecordRefresh(long nowTicks)
    {
        using (Acquire())
        {
            _lastAccessTicks = nowTicks;
        }
    }

    /// <returns><see langword="true"/> when this call allocated the key's successor array (the tracker counts its bytes).</returns>
    internal bool AddSuccessor(KeyAccessStatistics next, int capacity)
    {
        using (Acquire())
        {
            bool allocated = false;
            SuccessorSlot[]? slots = SuccessorsUnsafe;
            if (slots is null)
            {
                // An evicted entry's bytes have been given back already: an array allocated now would never be.
                if ((_marks & Evicted) != 0)
                {
                    return false;
                }

                slots = new SuccessorSlot[capacity];
                if (_tables is Extras extras)
                {
                    extras.Successors = slots;
                }
                else
                {
                    _tables = slots;
                }

                allocated = true;
            }

            int free = -1;
            for (int i = 0; i < slots.Length; i++)
            {
                KeyAccessStatistics? entry = slots[i].Entry;
                if (ReferenceEquals(entry, next))
                {
                    slots[i].Count++;
                    return allocated;
                }

                if (free < 0 && (entry is null || entry.IsEvicted))
                {
                    free = i;
                }
            }

            if (free >= 0)
            {
                slots[free] = new SuccessorSlot(next, 1);
                return allocated;
            }

            // Misra-Gries: when every slot is taken, one-off followers wear the counts down instead of
            // displacing a real link, so noise never accumulates into a link.
            for (int i = 0; i < slots.Length; i++)
            {
                if (--slots[i].Count == 0)
                {
                    slots[i] = default;
                }
            }

            return allocated;
        }
    }

    /// <summary>Gets the key's co-access partner table, when it has one; only the prefetch cycle uses it.</summary>
    internal CoAccessPartners? Partners => Volatile.Read(ref _tables) is Extras extras ? Volatile.Read(ref extras.Partners) : null;

    /// <param name="capacity">The table's slots.</param>
    /// <param name="allocatedExtras">Whether this call also gave the entry its Extras (the tracker counts their bytes).</param>
    /// <returns>The new table, or <see langword="null"/> when the entry is evicted or already has one.</returns>
    internal CoAccessPartners? TryAllocatePartners(int capacity, out bool allocatedExtras)
    {
        using (Acquire())
        {
            allocatedExtras = false;
            // An evicted entry's bytes have been given back already: a table allocated now would never be.
            if ((_marks & Evicted) != 0 || (_tables as Extras)?.Partners is not null)
            {
                return null;
            }

            var partners = new CoAccessPartners(capacity);
            Volatile.Write(ref ExtrasUnsafe(counted: true, out allocatedExtras).Partners, partners);
            return partners;
        }
    }

    /// <returns><see langword="true"/> when this call gave the entry its Extras (the tracker counts their bytes).</returns>
    internal bool TryAllocateExtras()
    {
        using (Acquire())
        {
            if ((_marks & Evicted) != 0)
            {
                return false;
            }

            _ = ExtrasUnsafe(counted: true, out bool allocated);
            return allocated;
        }
    }

    internal bool TestAndClearReferenced()
    {
        bool referenced = _referenced;
        _referenced = false;
        return referenced;
    }

    /// <returns>Which of its lazily allocated tables the entry had (whose bytes the tracker gives back).</returns>
    internal EvictedTables MarkEvicted()
    {
        SetMarks(0, Evicted);
        using (Acquire())
        {
            // Drop outgoing links so that evicted entries never keep chains of other evicted entries alive. The Extras
            // stay (a prefetch write in progress is still fenced through them); their bytes go back with the entry's.
            EvictedTables had = SuccessorsUnsafe is not null ? EvictedTables.Successors : EvictedTables.None;
            if (_tables is Extras extras)
            {
                had |= (extras.Partners is not null ? EvictedTables.Partners : EvictedTables.None)
                    | (extras.Counted ? EvictedTables.Extras : EvictedTables.None);
                extras.Successors = null;
                extras.Partners = null;
                extras.Counted = false;
            }
            else
            {
                _tables = null;
            }

            return had;
        }
    }

    private SuccessorSlot[]? SuccessorsUnsafe => _tables is Extras extras ? extras.Successors : Unsafe.As<SuccessorSlot[]?>(_tables);

    /// <summary>The entry's Extras, allocated (under the gate) when it has none, the successor array moved into them.</summary>
    /// <param name="counted">Whether the caller counts the new Extras' bytes in the tracker (and eviction gives them back).</param>
    /// <param name="allocated">Whether this call allocated counted Extras.</param>
    private Extras ExtrasUnsafe(bool counted, out bool allocated)
    {
        if (_tables is Extras existing)
        {
            allocated = false;
            return existing;
        }

        var extras = new Extras { Successors = Unsafe.As<SuccessorSlot[]?>(_tables), Counted = counted };
        Volatile.Write(ref _tables, extras);
        allocated = counted;
        return extras;
    }

    private bool HasState(int flag) => (Volatile.Read(ref _state) & flag) != 0;

    private void SetMarks(int clear, int set)
    {
        byte current;
        do
        {
            current = Volatile.Read(ref _marks);
        }
        while (Interlocked.CompareExchange(ref _marks, (byte)((current & ~clear) | set), current) != current);
    }

    private static int ClampSize(long size) => (int)Math.Clamp(size, -1L, int.MaxValue);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private GateScope Acquire()
    {
        byte free = (byte)(Volatile.Read(ref _state) & ~Gate);
        if (Interlocked.CompareExchange(ref _state, (byte)(free | Gate), free) != free)
        {
            AcquireContended();
        }

        return new GateScope(this);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AcquireContended()
    {
        var spinner = default(SpinWait);
        while (true)
        {
            // Only the gate's holder changes the other bits, so once the gate is free the byte holds still.
            byte free = (byte)(Volatile.Read(ref _state) & ~Gate);
            if (Interlocked.CompareExchange(ref _state, (byte)(free | Gate), free) == free)
            {
                return;
            }

            spinner.SpinOnce();
        }
    }

    private double MeanIntervalUnsafe()
    {
        long intervals = _readCount - 1;
        return intervals > 0 ? (_intervalShiftTicks + (ShiftedIntervalSumUnsafe(intervals) / intervals)) / TimeSpan.TicksPerSecond : 0d;
    }

    private double IntervalVarianceUnsafe()
    {
        long intervals = _readCount - 1;
        if (intervals < 2)
        {
            return 0d;
        }

        double sum = ShiftedIntervalSumUnsafe(intervals);
        double squares = _shiftedIntervalSquares - (sum * sum / intervals);
        return Math.Max(0d, squares) / (intervals - 1) / ((double)TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond);
    }

    /// <summary>
    /// The sum of the intervals minus the shift each: the intervals telescope to last read − first read, so the sum is
    /// exact (in 128 bits, rounded once), where a running double sum was exact only while below 2^53 ticks.
    /// </summary>
    private double ShiftedIntervalSumUnsafe(long intervals) =>
        (double)((Int128)(_lastReadTicks - _firstReadTicks) - ((Int128)intervals * _intervalShiftTicks));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long ExpiryUnsafe()
    {
        long expiry = _absoluteExpiryTicks;
        if (_slidingTicks > 0)
        {
            expiry = Math.Min(expiry, ExpiryArithmetic.SaturatingAdd(_lastAccessTicks, _slidingTicks));
        }

        return expiry;
    }

    private readonly ref struct GateScope(KeyAccessStatistics owner)
    {
        public void Dispose() => Volatile.Write(ref owner._state, (byte)(owner._state & ~Gate));
    }

    /// <summary>What few keys need, allocated for the first of them: 48 B, counted in the tracker's bytes.</summary>
    private sealed class Extras
    {
        public SuccessorSlot[]? Successors;
        public CoAccessPartners? Partners;
        public TaskCompletionSource? PrefetchWrite;
        public int PrefetchStamp;

        // Whether the tracker counted these bytes (and eviction gives them back); cleared when it does.
        public bool Counted;
    }

    private struct SuccessorSlot(KeyAccessStatistics entry, int count)
    {
        public KeyAccessStatistics? Entry = entry;
        public int Count = count;
    }
}

/// <summary>The lazily allocated tables an evicted entry gave up.</summary>
[Flags]
internal enum EvictedTables
{
    None = 0,
    Successors = 1,
    Partners = 2,
    Extras = 4,
}
