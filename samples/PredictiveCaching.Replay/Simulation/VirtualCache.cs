using Microsoft.Extensions.Caching.Distributed;

namespace PredictiveCaching.Replay.Simulation;

/// <summary>
/// The inner cache of a replay: an <see cref="IDistributedCache"/> whose expirations follow the (virtual)
/// <see cref="TimeProvider"/>, optionally bounded to a number of entries or of bytes with least-recently-used eviction.
/// </summary>
/// <remarks>
/// It also keeps the ledger of prefetched copies, so that used and wasted prefetches and wasted bytes are counted
/// identically for the library and for the replayer's own policies: a prefetcher announces a write with
/// <see cref="ExpectPrefetch"/> and the next <c>Set</c> of that key is marked as prefetched. Library prefetches run on
/// the thread pool (up to <c>MaxConcurrency</c> at once), so every member takes one uncontended lock.
/// </remarks>
internal sealed class VirtualCache : IDistributedCache
{
    private readonly TimeProvider _time;
    private readonly int _capacity;
    private readonly long _capacityBytes;
    private readonly Func<string, long>? _traceSize;
    private long _bytes;
    private readonly Dictionary<string, LinkedListNode<Entry>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _lru = new();
    private readonly Dictionary<string, long> _expectedPrefetches = new(StringComparer.Ordinal);
    private readonly Lock _sync = new();
    private long _prefetchWrites;
    private long _used;
    private long _wasted;
    private long _wastedBytes;
    private long _evictions;

    /// <param name="time">The clock expirations follow.</param>
    /// <param name="capacity">The most entries kept (least recently used evicted first); 0 for no bound.</param>
    /// <param name="capacityBytes">The most bytes kept, by the trace's sizes (least recently used evicted first); 0 for no bound.</param>
    /// <param name="traceSize">
    /// The trace's size of a key's value. Values are shared arrays capped at 1 MiB (<see cref="ValuePool"/>), so their
    /// length would undercount a CDN's objects; without it, a byte bound counts value lengths.
    /// </param>
    public VirtualCache(TimeProvider time, int capacity = 0, long capacityBytes = 0, Func<string, long>? traceSize = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        ArgumentOutOfRangeException.ThrowIfNegative(capacityBytes);
        _time = time;
        _capacity = capacity;
        _capacityBytes = capacityBytes;
        _traceSize = traceSize;
    }

    private bool Bounded => _capacity > 0 || _capacityBytes > 0;

    public int Count
    {
        get { lock (_sync) { return _entries.Count; } }
    }

    /// <summary>Announces that the next write of <paramref name="key"/> is a prefetched copy of <paramref name="traceSize"/> bytes.</summary>
    public void ExpectPrefetch(string key, long traceSize)
    {
        lock (_sync)
        {
            _expectedPrefetches[key] = traceSize;
        }
    }

    /// <summary>Forgets an announced prefetch that never wrote (the library dropped it).</summary>
    public void ClearExpectedPrefetches()
    {
        lock (_sync)
        {
            _expectedPrefetches.Clear();
        }
    }

    /// <summary>When the live copy of a key was written and when it expires, without touching recency.</summary>
    public bool TryPeek(string key, out long writtenTicks, out long expiresTicks)
    {
        lock (_sync)
        {
            long now = _time.GetUtcNow().UtcTicks;
            if (_entries.TryGetValue(key, out LinkedListNode<Entry>? node) && node.Value.ExpiresTicks > now)
            {
                writtenTicks = node.Value.WrittenTicks;
                expiresTicks = node.Value.ExpiresTicks;
                return true;
            }

            writtenTicks = 0;
            expiresTicks = 0;
            return false;
        }
    }

    /// <summary>Settles the copies still cached at the end of a replay: an unread prefetched copy is wasted.</summary>
    public CacheFigures Finish()
    {
        lock (_sync)
        {
            foreach (Entry entry in _lru)
            {
                Settle(entry);
            }

            _entries.Clear();
            _lru.Clear();
            _bytes = 0;
            return Figures();
        }
    }

    public CacheFigures Figures()
    {
        lock (_sync)
        {
            return new CacheFigures(_prefetchWrites, _used, _wasted, _wastedBytes, _evictions);
        }
    }

    public byte[]? Get(string key)
    {
        lock (_sync)
        {
            if (!_entries.TryGetValue(key, out LinkedListNode<Entry>? node))
            {
                return null;
            }

            Entry entry = node.Value;
            long now = _time.GetUtcNow().UtcTicks;
            if (entry.ExpiresTicks <= now)
            {
                Drop(node);
                return null;
            }

            if (entry.Prefetched && !entry.Read)
            {
                _used++;
            }

            entry.Read = true;
            if (entry.SlidingTicks > 0)
            {
                entry.ExpiresTicks = Math.Min(entry.AbsoluteTicks, now + entry.SlidingTicks);
            }

            if (Bounded)
            {
                _lru.Remove(node);
                _lru.AddFirst(node);
            }

            return entry.Value;
        }
    }

    public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => Task.FromResult(Get(key));

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(options);
        lock (_sync)
        {
            long now = _time.GetUtcNow().UtcTicks;
            long absolute = options.AbsoluteExpiration?.UtcTicks
                ?? (options.AbsoluteExpirationRelativeToNow is { } relative ? now + relative.Ticks : long.MaxValue);
            long sliding = options.SlidingExpiration?.Ticks ?? 0;
            bool prefetched = _expectedPrefetches.Remove(key, out long traceSize);
            if (prefetched)
            {
                _prefetchWrites++;
            }

            long size = prefetched ? traceSize : _traceSize?.Invoke(key) ?? value.LongLength;
            var entry = new Entry(key, value, now, absolute, sliding, prefetched, size);
            if (_entries.TryGetValue(key, out LinkedListNode<Entry>? existing))
            {
                Settle(existing.Value);
                _bytes += size - existing.Value.TraceSize;
                existing.Value = entry;
                if (Bounded)
                {
                    _lru.Remove(existing);
                    _lru.AddFirst(existing);
                }
            }
            else
            {
                _entries[key] = _lru.AddFirst(entry);
                _bytes += size;
            }

            // The entry just written stays even when it alone exceeds the byte bound: a cache serves what it just loaded.
            while (_entries.Count > 1 && ((_capacity > 0 && _entries.Count > _capacity) || (_capacityBytes > 0 && _bytes > _capacityBytes)))
            {
                _evictions++;
                Drop(_lru.Last!);
            }
        }
    }

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        Set(key, value, options);
        return Task.CompletedTask;
    }

    /// <summary>Slides the expiry only: a refresh serves no read, so it never makes a prefetched copy used.</summary>
    public void Refresh(string key)
    {
        lock (_sync)
        {
            long now = _time.GetUtcNow().UtcTicks;
            if (_entries.TryGetValue(key, out LinkedListNode<Entry>? node) && node.Value.ExpiresTicks > now && node.Value.SlidingTicks > 0)
            {
                node.Value.ExpiresTicks = Math.Min(node.Value.AbsoluteTicks, now + node.Value.SlidingTicks);
            }
        }
    }

    public Task RefreshAsync(string key, CancellationToken token = default)
    {
        Refresh(key);
        return Task.CompletedTask;
    }

    public void Remove(string key)
    {
        lock (_sync)
        {
            if (_entries.TryGetValue(key, out LinkedListNode<Entry>? node))
            {
                Drop(node);
            }
        }
    }

    public Task RemoveAsync(string key, CancellationToken token = default)
    {
        Remove(key);
        return Task.CompletedTask;
    }

    private void Drop(LinkedListNode<Entry> node)
    {
        Settle(node.Value);
        _bytes -= node.Value.TraceSize;
        _entries.Remove(node.Value.Key);
        _lru.Remove(node);
    }

    private void Settle(Entry entry)
    {
        if (entry.Prefetched && !entry.Read)
        {
            _wasted++;
            _wastedBytes += entry.TraceSize;
        }

        // Settled once: a copy overwritten and then finished must not count twice.
        entry.Prefetched = false;
    }

    private sealed class Entry(string key, byte[] value, long writtenTicks, long absoluteTicks, long slidingTicks, bool prefetched, long traceSize)
    {
        public string Key { get; } = key;

        public byte[] Value { get; } = value;

        public long WrittenTicks { get; } = writtenTicks;

        public long AbsoluteTicks { get; } = absoluteTicks;

        public long SlidingTicks { get; } = slidingTicks;

        public long ExpiresTicks { get; set; } = slidingTicks > 0 ? Math.Min(absoluteTicks, writtenTicks + slidingTicks) : absoluteTicks;

        public bool Prefetched { get; set; } = prefetched;

        public bool Read { get; set; }

        public long TraceSize { get; } = traceSize;
    }
}
