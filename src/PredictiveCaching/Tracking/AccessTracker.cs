using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Options;

namespace PredictiveCaching.Tracking;

/// <summary>
/// Bounded, thread-safe statistics of every key the application reads or writes through the predictive cache.
/// </summary>
/// <remarks>
/// <para>
/// The bound resists scans: a new key enters a probation queue; only a key read again before it reaches the
/// head of that queue moves to the protected queue, which holds up to <see cref="TrackingOptions.ProtectedShare"/>
/// of the keys and is itself managed as a CLOCK (a key read since its last pass gets a second chance).
/// A flood of one-read keys therefore only ever evicts other one-read keys.
/// </para>
/// <para>
/// In front of that, reads through the decorator pass an admission doorkeeper (<see cref="TrackingOptions.AdmissionReads"/>):
/// a key not tracked gets an entry on its second read, its first only counting in a fixed count-min sketch, so a key
/// read once takes no entry at all. Application writes, prefetches and hinted keys are admitted on first sight.
/// </para>
/// <para>
/// The bound is on keys (<see cref="TrackingOptions.MaxTrackedKeys"/>) and on bytes
/// (<see cref="TrackingOptions.MaxTrackedBytes"/>), whichever is reached first; the same policy evicts for both, and the
/// protected share applies to both. Bytes are an estimate per key, counted when a key is admitted, when its successor
/// array is allocated and when it is evicted, so a read of a tracked key costs nothing more (see <see cref="TrackedBytes"/>).
/// </para>
/// <para>
/// Recording a read of a tracked key takes one dictionary lookup and the key's own lock; nothing is shared between
/// keys except the "last read key" reference used for successor links, which is swapped without a lock.
/// Admitting a new key may evict one; eviction runs on the admitting thread behind a try-lock, so no thread waits for
/// it and the count (and bytes) can overshoot the bound by at most what the threads admitting keys at that instant add.
/// </para>
/// </remarks>
internal sealed class AccessTracker
{
    private readonly ConcurrentDictionary<string, KeyAccessStatistics> _entries;
    private readonly ConcurrentDictionary<string, KeyAccessStatistics>.AlternateLookup<ReadOnlySpan<char>> _entriesBySpan;
    private readonly ConcurrentQueue<KeyAccessStatistics> _probation = new();
    private readonly ConcurrentQueue<KeyAccessStatistics> _protected = new();
    private readonly Lock _evictionGate = new();
    // Per-key estimate, measured on .NET 10 x64 with the footprint benchmark (220 B at 1 000 000 keys, 226 B at 100 000
    // and 200 000): the statistics object (136 B), its dictionary node (48 B), and its bucket and queue slots, without the
    // key string, the successor array, the Extras and the partner table, which are added by size.
    private const long EntryOverheadBytes = 224;

    private readonly int _maxKeys;
    private readonly int _protectedCapacity;
    private readonly long _maxBytes;
    private readonly long _protectedByteCapacity;
    private readonly long _successorArrayBytes;
    private readonly int _maxSuccessors;
    private readonly int _maxPartners;
    private readonly long _partnerTableBytes;
    private readonly long _successorGapTicks;
    private readonly AdmissionSketch? _admission;
    private KeyAccessStatistics? _lastRead;
    private int _count;
    private int _protectedCount;
    private long _bytes;

    // Estimated bytes of the protected keys without their successor arrays (a key's array may come and go while it is
    // queued; its key string does not); changed only under _evictionGate.
    private long _protectedBytes;
    private long _evictions;
    private long _evictedReads;
    private long _evictedHits;

    // Reads the doorkeeper did not admit, counted for CountReads only (a read folded into an entry later leaves them).
    private long _unadmittedReads;
    private long _unadmittedHits;

    /// <summary>Initializes a new instance of the <see cref="AccessTracker"/> class.</summary>
    /// <param name="options">The tracking options.</param>
    public AccessTracker(IOptions<PredictiveLoadingOptions> options)
        : this(options?.Value.Tracking ?? throw new ArgumentNullException(nameof(options)))
    {
    }

    internal AccessTracker(TrackingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _maxKeys = options.MaxTrackedKeys;
        _protectedCapacity = (int)(options.MaxTrackedKeys * options.ProtectedShare);
        _maxSuccessors = options.MaxSuccessors;
        _maxBytes = options.MaxTrackedBytes;
        _protectedByteCapacity = (long)(options.MaxTrackedBytes * options.ProtectedShare);
        _successorArrayBytes = SuccessorArrayBytes(options.MaxSuccessors);
        _successorGapTicks = options.SuccessorGap.Ticks;
        _maxPartners = options.MaxPartners;
        _partnerTableBytes = PartnerTableBytes(options.MaxPartners);
        _entries = new ConcurrentDictionary<string, KeyAccessStatistics>(StringComparer.Ordinal);
        _entriesBySpan = _entries.GetAlternateLookup<ReadOnlySpan<char>>();
        if (options.AdmissionReads > 1)
        {
            _admission = new AdmissionSketch(AdmissionSketchWords(options), options.AdmissionReads);
        }
    }

    /// <summary>
    /// The doorkeeper's size: one 8-byte word per key of the bound, at most one per 256 B of the byte bound (about what
    /// the smallest tracked key takes: 224 B and a key string of 24–32 B), so the sketch never takes more than 1/32 of what the tracker may.
    /// </summary>
    internal static int AdmissionSketchWords(TrackingOptions options) =>
        (int)Math.Min(options.MaxTrackedKeys, Math.Max(64L, options.MaxTrackedBytes / 256));

    /// <summary>Gets the admission doorkeeper, or <see langword="null"/> when every key is tracked from its first read.</summary>
    internal AdmissionSketch? Admission => _admission;

    private int _tagInvalidationEpoch;
    private int _pendingTagInvalidations;

    /// <summary>
    /// Moves on every HybridCache <c>RemoveByTagAsync</c>: which keys a tag covers is HybridCache's to know, so a typed
    /// prefetch that began before any tag removal is refused (<see cref="TagFenceHolds"/>).
    /// </summary>
    internal int TagInvalidationEpoch => Volatile.Read(ref _tagInvalidationEpoch);

    internal void BeginTagInvalidation()
    {
        Interlocked.Increment(ref _pendingTagInvalidations);
        Interlocked.Increment(ref _tagInvalidationEpoch);
    }

    internal void EndTagInvalidation() => Interlocked.Decrement(ref _pendingTagInvalidations);

    /// <summary>Whether no tag removal began since <paramref name="epoch"/> was read and none is in progress.</summary>
    internal bool TagFenceHolds(int epoch) => Volatile.Read(ref _pendingTagInvalidations) == 0 && Volatile.Read(ref _tagInvalidationEpoch) == epoch;

    /// <summary>Gets the number of keys currently tracked.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Gets the configured bound on <see cref="Count"/>.</summary>
    public int Capacity => _maxKeys;

    /// <summary>
    /// Gets the estimated bytes the tracked keys take, key strings included: per key about 224 B of statistics and
    /// dictionary and queue slots, the key string (22 B + 2 B per character, rounded up to 8 B), once the key has
    /// successors its successor array (24 B + 16 B per <see cref="TrackingOptions.MaxSuccessors"/>), once it starts
    /// a second co-access episode its partner table (72 B + 16 B per <see cref="TrackingOptions.MaxPartners"/>), and
    /// once it has a partner table or a prefetched copy its Extras (48 B).
    /// Figures for .NET on 64-bit; a key string the application also holds is counted anyway.
    /// </summary>
    public long TrackedBytes => Interlocked.Read(ref _bytes);

    /// <summary>Gets the configured bound on <see cref="TrackedBytes"/>.</summary>
    public long ByteCapacity => _maxBytes;

    /// <summary>Gets how many keys have been evicted to keep the bound.</summary>
    public long Evictions => Interlocked.Read(ref _evictions);

    /// <summary>
    /// Counts every read recorded since start: the tracked keys' counts plus those of evicted keys and the reads the
    /// admission doorkeeper did not admit. It walks the tracked keys, so it is for metric collection (every few seconds),
    /// not for the read path — which then needs no counter of its own for a tracked key.
    /// </summary>
    /// <returns>The reads and the hits among them.</returns>
    public (long Reads, long Hits) CountReads()
    {
        long reads = Interlocked.Read(ref _evictedReads) + Interlocked.Read(ref _unadmittedReads);
        long hits = Interlocked.Read(ref _evictedHits) + Interlocked.Read(ref _unadmittedHits);
        foreach (KeyValuePair<string, KeyAccessStatistics> pair in _entries)
        {
            reads += pair.Value.ReadCount;
            hits += pair.Value.HitCount;
        }

        return (reads, hits);
    }

    /// <summary>Returns the statistics of a tracked key.</summary>
    /// <param name="key">The cache key.</param>
    /// <param name="statistics">The statistics, when the key is tracked.</param>
    /// <returns><see langword="true"/> when the key is tracked.</returns>
    public bool TryGet(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out KeyAccessStatistics? statistics)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _entries.TryGetValue(key, out statistics);
    }

    /// <summary>Returns a consistent copy of a tracked key's statistics, or <see langword="null"/> when the key is not tracked.</summary>
    internal KeyAccessSnapshot? SnapshotOf(string key) => TryGet(key, out KeyAccessStatistics? entry) ? entry.Snapshot() : null;

    /// <summary>Looks a key up by its characters, without a string (keys the loop composes, such as a sequence's neighbours).</summary>
    internal bool TryGet(ReadOnlySpan<char> key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out KeyAccessStatistics? statistics) =>
        _entriesBySpan.TryGetValue(key, out statistics);

    /// <summary>Enumerates the tracked keys. Not a snapshot: meant for background work, never for the read path.</summary>
    /// <returns>The tracked statistics.</returns>
    public IEnumerable<KeyAccessStatistics> EnumerateEntries()
    {
        foreach (KeyValuePair<string, KeyAccessStatistics> pair in _entries)
        {
            yield return pair.Value;
        }
    }

    /// <summary>
    /// Records a read when the key is tracked or this read admits it (<see cref="TrackingOptions.AdmissionReads"/>);
    /// otherwise only the doorkeeper counts it, without allocating. The decorator's read path.
    /// </summary>
    /// <returns><see langword="true"/> when the read was recorded on <paramref name="entry"/>.</returns>
    internal bool TryRecordRead(string key, bool hit, long size, long nowTicks, out ReadOutcome outcome, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out KeyAccessStatistics? entry)
    {
        if (!_entries.TryGetValue(key, out entry))
        {
            if (_admission is not null && !_admission.RecordRead(key))
            {
                // Counted exactly: this path already costs a hash and a sketch update, and the reads metric needs it.
                Interlocked.Increment(ref _unadmittedReads);
                if (hit)
                {
                    Interlocked.Increment(ref _unadmittedHits);
                }

                outcome = ReadOutcome.None;
                return false;
            }

            entry = Admit(key);
        }

        outcome = entry.RecordRead(hit, size, nowTicks);
        return true;
    }

    /// <summary>
    /// The entry an application write (or removal) fences and records on, admitted whatever the doorkeeper says: the
    /// fence needs it, and the copy's expiry is what expiry decisions need when the key is read again. When the
    /// doorkeeper saw the key read (the miss before a cache-aside write, not admitted), that read is folded into the new
    /// entry at <paramref name="nowTicks"/>, so the key counts as read once, as it would have without the doorkeeper.
    /// </summary>
    internal KeyAccessStatistics GetOrAddForWrite(string key, long nowTicks)
    {
        if (_entries.TryGetValue(key, out KeyAccessStatistics? existing))
        {
            return existing;
        }

        bool wasRead = _admission is not null && _admission.WasRead(key);
        KeyAccessStatistics created = Admit(key);
        if (wasRead && created.RecordEarlierRead(nowTicks))
        {
            // The read now counts on the entry (as a miss: cache-aside writes after one), no longer as unadmitted.
            Interlocked.Decrement(ref _unadmittedReads);
        }

        return created;
    }

    /// <summary>Lets the key's next read through the doorkeeper (a key the application hints it will read).</summary>
    internal void ExpectRead(string key)
    {
        if (_admission is not null && !_entries.ContainsKey(key))
        {
            _admission.Expect(key);
        }
    }

    internal ReadOutcome RecordRead(string key, bool hit, long size, long nowTicks, out KeyAccessStatistics entry) =>
        RecordRead(key, hit, size, nowTicks, linkToPrevious: true, out entry);

    /// <param name="key">The key read.</param>
    /// <param name="hit">Whether the read found a value.</param>
    /// <param name="size">The value's size, or -1 when unknown.</param>
    /// <param name="nowTicks">The time of the read.</param>
    /// <param name="linkToPrevious">
    /// Whether to link the previous read to this one now. The decorator passes <see langword="false"/>: the prefetch
    /// cycle links reads in order from the recent-reads ring instead (<see cref="Link"/>), off the read path.
    /// </param>
    /// <param name="entry">The key's statistics.</param>
    internal ReadOutcome RecordRead(string key, bool hit, long size, long nowTicks, bool linkToPrevious, out KeyAccessStatistics entry)
    {
        entry = GetOrAdd(key);
        ReadOutcome outcome = entry.RecordRead(hit, size, nowTicks);
        if (linkToPrevious && _maxSuccessors > 0)
        {
            LinkToPrevious(entry, nowTicks);
        }

        return outcome;
    }

    /// <summary>Links two reads in the order they happened when the second came within the successor gap of the first.</summary>
    internal void Link(KeyAccessStatistics previous, long previousTicks, KeyAccessStatistics next, long nextTicks)
    {
        long gap = nextTicks - previousTicks;
        if (_maxSuccessors > 0 && !ReferenceEquals(previous, next) && !previous.IsEvicted && gap >= 0 && gap <= _successorGapTicks
            && previous.AddSuccessor(next, _maxSuccessors)
            && Interlocked.Add(ref _bytes, _successorArrayBytes) > _maxBytes)
        {
            EvictOverflow();
        }
    }

    internal KeyAccessStatistics GetOrAddEntry(string key) => GetOrAdd(key);

    /// <summary>Gives a key its co-access partner table, counted in <see cref="TrackedBytes"/> like a successor array.</summary>
    /// <returns>The table, or <see langword="null"/> when co-access is off or the key was evicted.</returns>
    internal CoAccessPartners? AllocatePartners(KeyAccessStatistics entry)
    {
        if (_maxPartners <= 0)
        {
            return null;
        }

        CoAccessPartners? partners = entry.TryAllocatePartners(_maxPartners, out bool allocatedExtras);
        if (partners is null)
        {
            return entry.Partners;
        }

        if (Interlocked.Add(ref _bytes, _partnerTableBytes + (allocatedExtras ? ExtrasBytes : 0)) > _maxBytes)
        {
            EvictOverflow();
        }

        return partners;
    }

    /// <summary>
    /// Claims the right to write a prefetched value of <paramref name="entry"/> (see
    /// <see cref="KeyAccessStatistics.TryBeginPrefetchWrite"/>), counting the Extras the claim may give the entry.
    /// </summary>
    internal TaskCompletionSource? TryBeginPrefetchWrite(KeyAccessStatistics entry, int expectedVersion)
    {
        TaskCompletionSource? write = entry.TryBeginPrefetchWrite(expectedVersion, out bool allocatedExtras);
        if (allocatedExtras)
        {
            CountExtras();
        }

        return write;
    }

    private void CountExtras()
    {
        if (Interlocked.Add(ref _bytes, ExtrasBytes) > _maxBytes)
        {
            EvictOverflow();
        }
    }

    /// <summary>Records a completed write; an application write also moves the key's write version.</summary>
    internal KeyAccessStatistics RecordWrite(string key, long size, DistributedCacheEntryOptions? options, long nowTicks, bool prefetched)
    {
        KeyAccessStatistics entry = GetOrAdd(key);
        if (!prefetched)
        {
            entry.BeginApplicationWrite();
            entry.EndApplicationWrite();
        }
        else if (entry.TryAllocateExtras())
        {
            // A prefetched write's stamp lives in the Extras; the executor's claim (TryBeginPrefetchWrite) gives them.
            CountExtras();
        }

        entry.RecordWrite(size, options, nowTicks, prefetched);
        return entry;
    }

    /// <summary>Records a completed removal, moving the key's write version.</summary>
    /// <returns><see langword="true"/> when the removal dropped a prefetched copy that was never read.</returns>
    internal bool RecordRemove(string key)
    {
        if (!_entries.TryGetValue(key, out KeyAccessStatistics? entry))
        {
            return false;
        }

        entry.BeginApplicationWrite();
        entry.EndApplicationWrite();
        return entry.RecordRemove();
    }

    internal void RecordRefresh(string key, long nowTicks)
    {
        if (_entries.TryGetValue(key, out KeyAccessStatistics? entry))
        {
            entry.RecordRefresh(nowTicks);
        }
    }

    private void LinkToPrevious(KeyAccessStatistics entry, long nowTicks)
    {
        // A plain read then write, not an atomic exchange: under concurrent reads a pair may be missed or mis-paired,
        // which only adds noise that the Misra-Gries counts wear away, and the hot path avoids a locked instruction.
        KeyAccessStatistics? previous = Volatile.Read(ref _lastRead);
        Volatile.Write(ref _lastRead, entry);

        // previous.LastReadTicks may already be a newer read of that key; either way it bounds the gap from above.
        if (previous is not null)
        {
            Link(previous, previous.LastReadTicks, entry, nowTicks);
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private KeyAccessStatistics GetOrAdd(string key)
    {
        if (_entries.TryGetValue(key, out KeyAccessStatistics? existing))
        {
            return existing;
        }

        return Admit(key);
    }

    private KeyAccessStatistics Admit(string key)
    {
        var created = new KeyAccessStatistics(key);
        if (!_entries.TryAdd(key, created))
        {
            return _entries.TryGetValue(key, out KeyAccessStatistics? raced) ? raced : Admit(key);
        }

        _probation.Enqueue(created);
        bool overKeys = Interlocked.Increment(ref _count) > _maxKeys;
        bool overBytes = Interlocked.Add(ref _bytes, EntryBytes(key)) > _maxBytes;
        if (overKeys || overBytes)
        {
            EvictOverflow();
        }

        return created;
    }

    private void EvictOverflow()
    {
        if (!_evictionGate.TryEnter())
        {
            return;
        }

        try
        {
            while ((Volatile.Read(ref _count) > _maxKeys || Interlocked.Read(ref _bytes) > _maxBytes) && EvictOne())
            {
            }
        }
        finally
        {
            _evictionGate.Exit();
        }
    }

    // Called only under _evictionGate, so the queues have a single consumer.
    private bool EvictOne()
    {
        DemoteProtectedOverflow();

        while (_probation.TryDequeue(out KeyAccessStatistics? candidate))
        {
            if (candidate.IsEvicted)
            {
                continue;
            }

            if (candidate.TestAndClearReferenced())
            {
                candidate.IsProtected = true;
                _protectedCount++;
                _protectedBytes += EntryBytes(candidate.Key);
                _protected.Enqueue(candidate);
                continue;
            }

            Remove(candidate);
            return true;
        }

        // Everything on probation earned protection: fall back to the oldest protected key.
        while (_protected.TryDequeue(out KeyAccessStatistics? victim))
        {
            _protectedCount--;
            _protectedBytes -= EntryBytes(victim.Key);
            if (!victim.IsEvicted)
            {
                Remove(victim);
                return true;
            }
        }

        return false;
    }

    private void DemoteProtectedOverflow()
    {
        // CLOCK over the protected queue: each pass clears the reference bit, so this ends within two passes
        // unless readers keep setting bits; the step budget keeps the admitting thread's work bounded regardless.
        int budget = 2 * _protectedCount + 2;
        while ((_protectedCount > _protectedCapacity || _protectedBytes > _protectedByteCapacity) && budget-- > 0 && _protected.TryDequeue(out KeyAccessStatistics? head))
        {
            if (head.TestAndClearReferenced())
            {
                _protected.Enqueue(head);
                continue;
            }

            _protectedCount--;
            _protectedBytes -= EntryBytes(head.Key);
            head.IsProtected = false;
            _probation.Enqueue(head);
        }
    }

    /// <summary>The estimated bytes of a tracked key without its successor array (see <see cref="TrackedBytes"/>).</summary>
    internal static long EntryBytes(string key) => EntryOverheadBytes + StringBytes(key.Length);

    /// <summary>A string's size on 64-bit .NET: header, method table, length and terminator, rounded up to 8 bytes.</summary>
    internal static long StringBytes(int length) => (22L + (2L * length) + 7L) & ~7L;

    internal static long SuccessorArrayBytes(int capacity) => capacity > 0 ? 24L + (16L * capacity) : 0L;

    /// <summary>
    /// A key's Extras (<see cref="KeyAccessStatistics"/>): what few keys need (the partner table's and a prefetch
    /// write's references, the prefetch stamp), allocated with the first of them.
    /// </summary>
    internal const long ExtrasBytes = 48;

    /// <summary>A partner table: the table object (48 B), its array's header (24 B) and 16 B per slot.</summary>
    internal static long PartnerTableBytes(int capacity) => capacity > 0 ? 72L + (16L * capacity) : 0L;

    private void Remove(KeyAccessStatistics victim)
    {
        // The array's bytes were counted when it was allocated, whether or not the entry is still in the dictionary.
        EvictedTables tables = victim.MarkEvicted();
        if ((tables & EvictedTables.Successors) != 0)
        {
            Interlocked.Add(ref _bytes, -_successorArrayBytes);
        }

        if ((tables & EvictedTables.Partners) != 0)
        {
            Interlocked.Add(ref _bytes, -_partnerTableBytes);
        }

        if ((tables & EvictedTables.Extras) != 0)
        {
            Interlocked.Add(ref _bytes, -ExtrasBytes);
        }

        if (_entries.TryRemove(new KeyValuePair<string, KeyAccessStatistics>(victim.Key, victim)))
        {
            Interlocked.Add(ref _bytes, -EntryBytes(victim.Key));
            Interlocked.Decrement(ref _count);
            Interlocked.Increment(ref _evictions);
            Interlocked.Add(ref _evictedReads, victim.ReadCount);
            Interlocked.Add(ref _evictedHits, victim.HitCount);
        }
    }
}
