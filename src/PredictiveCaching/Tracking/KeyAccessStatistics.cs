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

    private long _firstReadTicks;
    private long _lastReadTicks;
    private long _lastAccessTicks;
    private long _readCount;
    private long _hitCount;
    // Inter-arrival statistics as sums of each interval minus the first one (the shifted-data algorithm): a read adds
    // without dividing, so the read path has no division on its chain from one read of a key to the next, and shifting
    // by a typical interval keeps the variance free of the cancellation that plain sums of squares suffer.
    private long _intervalShiftTicks;
    private double _shiftedIntervalSum;
    private double _shiftedIntervalSquares;
    private long _lastSize = -1;
    private long _absoluteExpiryTicks = NoExpiry;
    private long _slidingTicks;
    private long _lastTimeToLiveTicks;
    private long _copyWrittenTicks;
    private int _readsOfCopy;
    private int _stableHash;
    private int _writeVersion;
    private int _prefetchStamp;
    private int _pendingApplicationWrites;
    private TaskCompletionSource? _prefetchWrite;
    private bool _present;
    private bool _lastReadWasHit;
    private bool _prefetchedCopy;
    private bool _readSincePrefetch;

    // Eviction bookkeeping, see AccessTracker: read since the entry last entered its queue, which queue, gone.
    private volatile bool _referenced;
    private volatile bool _evicted;
    internal bool IsProtected;

    // Set once by the HybridCache decorator: a raw-bytes prefetch of such a key is never usable (HybridCache ignores L2
    // entries it did not frame). Checked before being set, so steady reads only read the field.
    internal bool ReadThroughHybridCache;
    private int _factoryCalls;

    private SuccessorSlot[]? _successors;
    private CoAccessPartners? _partners;

    // A private spin gate rather than lock(this): critical sections are a few instructions, uncontended in the common
    // case, and no code outside can take the gate of an instance it was handed.
    private int _gate;

    internal KeyAccessStatistics(string key) => Key = key;

    /// <summary>Counts HybridCache factory calls for the key, so its decorator tells a hit from a miss without a closure.</summary>
    internal int FactoryCalls => Volatile.Read(ref _factoryCalls);

    internal void OnFactoryCall() => Interlocked.Increment(ref _factoryCalls);

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
    public bool LastReadWasHit => Volatile.Read(ref _lastReadWasHit);

    /// <summary>Gets a value indicating whether a copy is believed to be in the cache (written and not removed or known to have missed).</summary>
    public bool IsPresent => Volatile.Read(ref _present);

    /// <summary>Gets a value indicating whether the current copy was written by a prefetch rather than by the application.</summary>
    public bool IsPrefetchedCopy => Volatile.Read(ref _prefetchedCopy);

    /// <summary>Gets a value indicating whether the current prefetched copy has been read since it was written.</summary>
    public bool PrefetchedCopyRead => Volatile.Read(ref _readSincePrefetch);

    /// <summary>
    /// Gets how long the application's last write was meant to live (relative, absolute or sliding expiry, whichever
    /// is shortest), in ticks; 0 when that write never expires or no write was seen.
    /// </summary>
    public long LastTimeToLiveTicks => Volatile.Read(ref _lastTimeToLiveTicks);

    /// <summary>Gets a counter that changes on every prefetched write of the key.</summary>
    internal int PrefetchStamp => Volatile.Read(ref _prefetchStamp);

    /// <summary>Gets when the copy in the cache was written (by the application or a prefetch), in UTC ticks; 0 before any write.</summary>
    internal long CopyWrittenTicks => Volatile.Read(ref _copyWrittenTicks);

    /// <summary>
    /// Gets a hash of the key that is the same in every process (string and object hash codes are randomised per
    /// process), so that what is derived from it — the co-access doorkeeper — repeats from run to run.
    /// </summary>
    internal int StableHash
    {
        get
        {
            int hash = _stableHash;
            if (hash == 0)
            {
                // FNV-1a over the UTF-16 code units; 0 is kept for "not computed".
                uint value = 2166136261u;
                foreach (char c in Key)
                {
                    value = (value ^ c) * 16777619u;
                }

                hash = (int)value | 1;
                _stableHash = hash;
            }

            return hash;
        }
    }

    /// <summary>Gets how many reads the copy in the cache has served since it was written.</summary>
    internal int ReadsOfCopy => Volatile.Read(ref _readsOfCopy);

    /// <summary>
    /// Gets or sets what followed this key's last evaluated expiry: 1 read within the window after it, -1 not, 0 unknown.
    /// Only the prefetch cycle reads or writes it.
    /// </summary>
    internal sbyte LastExpiryOutcome { get; set; }

    /// <summary>Gets a counter that changes on every application write or removal of the key.</summary>
    public int WriteVersion => Volatile.Read(ref _writeVersion);

    internal bool IsEvicted => _evicted;

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
            return _present && ExpiryUnsafe() > atTicks;
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
            if (_successors is null)
            {
                return 0;
            }

            foreach (ref readonly SuccessorSlot slot in _successors.AsSpan())
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
                IsPresent = _present,
                LastReadWasHit = _lastReadWasHit,
                IsPrefetchedCopy = _prefetchedCopy,
                PrefetchedCopyRead = _readSincePrefetch,
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
                _shiftedIntervalSum += shifted;
                _shiftedIntervalSquares += shifted * shifted;
                _referenced = true;
            }

            _readCount++;
            _lastReadTicks = nowTicks;
            _lastReadWasHit = hit;
            if (hit)
            {
                _hitCount++;
                _readsOfCopy++;
                _present = true;
                _lastAccessTicks = nowTicks;
                if (size >= 0)
                {
                    _lastSize = size;
                }

                if (_prefetchedCopy && !_readSincePrefetch)
                {
                    _readSincePrefetch = true;
                    outcome = ReadOutcome.FirstReadOfPrefetchedCopy;
                }
            }
            else
            {
                _present = false;
                outcome = _prefetchedCopy && !_readSincePrefetch ? ReadOutcome.MissAfterUnreadPrefetch : ReadOutcome.Miss;
                _prefetchedCopy = false;
            }

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
            _lastSize = size;
        }
    }

    /// <returns><see langword="true"/> when the write replaced a prefetched copy that was never read.</returns>
    internal bool RecordWrite(long size, DistributedCacheEntryOptions? options, long nowTicks, bool prefetched)
    {
        using (Acquire())
        {
            // A prefetched copy replaced unread was wasted, whoever replaces it: a later prefetch too, before the copy's
            // own outcome was settled (its watch then finds another stamp and would count nothing).
            bool wastedPrefetch = _prefetchedCopy && !_readSincePrefetch;
            // The application's write version moves in BeginApplicationWrite, before the inner write starts.
            if (prefetched)
            {
                _prefetchStamp++;
            }

            _present = true;
            _lastSize = size;
            _lastAccessTicks = nowTicks;
            _copyWrittenTicks = nowTicks;
            _readsOfCopy = 0;
            _prefetchedCopy = prefetched;
            _readSincePrefetch = false;
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
            bool wastedPrefetch = _prefetchedCopy && !_readSincePrefetch;
            _present = false;
            _prefetchedCopy = false;
            _readSincePrefetch = false;
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
            return _prefetchWrite?.Task;
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
    internal TaskCompletionSource? TryBeginPrefetchWrite(int expectedVersion)
    {
        using (Acquire())
        {
            if (_evicted || _pendingApplicationWrites > 0 || _writeVersion != expectedVersion || _prefetchWrite is not null)
            {
                return null;
            }

            return _prefetchWrite = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    internal void EndPrefetchWrite(TaskCompletionSource write)
    {
        using (Acquire())
        {
            if (ReferenceEquals(_prefetchWrite, write))
            {
                _prefetchWrite = null;
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
            if (_prefetchedCopy && !_readSincePrefetch && _prefetchStamp == stamp)
            {
                _prefetchedCopy = false;
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
            SuccessorSlot[]? slots = _successors;
            if (slots is null)
            {
                // An evicted entry's bytes have been given back already: an array allocated now would never be.
                if (_evicted)
                {
                    return false;
                }

                slots = _successors = new SuccessorSlot[capacity];
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
    internal CoAccessPartners? Partners => Volatile.Read(ref _partners);

    /// <returns>The new table, or <see langword="null"/> when the entry is evicted or already has one.</returns>
    internal CoAccessPartners? TryAllocatePartners(int capacity)
    {
        using (Acquire())
        {
            // An evicted entry's bytes have been given back already: a table allocated now would never be.
            if (_evicted || _partners is not null)
            {
                return null;
            }

            var partners = new CoAccessPartners(capacity);
            Volatile.Write(ref _partners, partners);
            return partners;
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
        _evicted = true;
        using (Acquire())
        {
            // Drop outgoing links so that evicted entries never keep chains of other evicted entries alive.
            EvictedTables had = (_successors is not null ? EvictedTables.Successors : EvictedTables.None)
                | (_partners is not null ? EvictedTables.Partners : EvictedTables.None);
            _successors = null;
            _partners = null;
            return had;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private GateScope Acquire()
    {
        if (Interlocked.CompareExchange(ref _gate, 1, 0) != 0)
        {
            AcquireContended();
        }

        return new GateScope(this);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AcquireContended()
    {
        var spinner = default(SpinWait);
        while (Interlocked.CompareExchange(ref _gate, 1, 0) != 0)
        {
            spinner.SpinOnce();
        }
    }

    private double MeanIntervalUnsafe()
    {
        long intervals = _readCount - 1;
        return intervals > 0 ? (_intervalShiftTicks + (_shiftedIntervalSum / intervals)) / TimeSpan.TicksPerSecond : 0d;
    }

    private double IntervalVarianceUnsafe()
    {
        long intervals = _readCount - 1;
        if (intervals < 2)
        {
            return 0d;
        }

        double squares = _shiftedIntervalSquares - (_shiftedIntervalSum * _shiftedIntervalSum / intervals);
        return Math.Max(0d, squares) / (intervals - 1) / ((double)TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond);
    }

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
        public void Dispose() => Volatile.Write(ref owner._gate, 0);
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
}
