using Microsoft.Extensions.Caching.Distributed;

namespace PredictiveCaching.Replay.Simulation;

/// <summary>
/// The origin behind the cache: it answers every key (with a shared array of the key's size) and counts every load,
/// separately for the application's misses and for prefetches. It remembers each key's latest size and time to live
/// as the trace gives them, so a prefetch of a key writes what the application would have written.
/// </summary>
/// <remarks>Latency is not simulated in time (the clock is virtual); it only enters the latency figures.</remarks>
internal sealed class SimulatedOrigin
{
    private readonly Dictionary<string, (long Size, long TtlTicks)> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<long, DistributedCacheEntryOptions> _options = [];
    private readonly ValuePool _values;
    private readonly long _defaultTtlTicks;
    private readonly Lock _sync = new();
    private long _applicationLoads;
    private long _prefetchLoads;
    private long _prefetchBytes;

    public SimulatedOrigin(ValuePool values, TimeSpan defaultTtl)
    {
        _values = values;
        _defaultTtlTicks = defaultTtl.Ticks;
    }

    /// <summary>Gets or sets a value indicating whether the origin refuses prefetches (after the trace, while outcomes settle).</summary>
    public bool Closed { get; set; }

    public long ApplicationLoads => Interlocked.Read(ref _applicationLoads);

    public long PrefetchLoads => Interlocked.Read(ref _prefetchLoads);

    public long PrefetchBytes => Interlocked.Read(ref _prefetchBytes);

    public long TotalLoads => ApplicationLoads + PrefetchLoads;

    /// <summary>
    /// Records the size and TTL the trace gives a key; <paramref name="ttlSeconds"/> 0 means the default, and
    /// <paramref name="size"/> 0 means unknown: the key keeps the size last seen (a web log's 304 carries no bytes, and
    /// a prefetch after it must not load an empty object).
    /// </summary>
    public void Observe(string key, long size, double ttlSeconds)
    {
        long ttl = ttlSeconds > 0 ? (long)(ttlSeconds * TimeSpan.TicksPerSecond) : _defaultTtlTicks;
        lock (_sync)
        {
            if (size <= 0 && _keys.TryGetValue(key, out (long Size, long TtlTicks) known))
            {
                size = known.Size;
            }

            _keys[key] = (size, ttl);
        }
    }

    /// <summary>The application's load after a miss.</summary>
    public byte[] LoadForApplication(long size)
    {
        Interlocked.Increment(ref _applicationLoads);
        return _values.Get(size);
    }

    /// <summary>A prefetch's load; announces the write to <paramref name="cache"/> so it is counted as a prefetched copy.</summary>
    public bool TryLoadForPrefetch(string key, VirtualCache cache, out byte[] value, out DistributedCacheEntryOptions options)
    {
        (long Size, long TtlTicks) known;
        lock (_sync)
        {
            if (Closed || !_keys.TryGetValue(key, out known))
            {
                // A key the trace never named (a guessed sequence neighbour) still loads, with the defaults.
                known = (0, _defaultTtlTicks);
                if (Closed)
                {
                    value = [];
                    options = null!;
                    return false;
                }
            }

            options = OptionsFor(known.TtlTicks);
        }

        Interlocked.Increment(ref _prefetchLoads);
        Interlocked.Add(ref _prefetchBytes, known.Size);
        cache.ExpectPrefetch(key, known.Size);
        value = _values.Get(known.Size);
        return true;
    }

    /// <summary>Entry options for a time to live, shared per distinct TTL (traces have few).</summary>
    public DistributedCacheEntryOptions OptionsFor(long ttlTicks)
    {
        lock (_sync)
        {
            if (!_options.TryGetValue(ttlTicks, out DistributedCacheEntryOptions? options))
            {
                options = new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromTicks(ttlTicks) };
                _options[ttlTicks] = options;
            }

            return options;
        }
    }

    /// <summary>The size the trace last gave a key (0 when it never named it).</summary>
    public long SizeOf(string key)
    {
        lock (_sync)
        {
            return _keys.TryGetValue(key, out (long Size, long TtlTicks) known) ? known.Size : 0;
        }
    }

    public long TtlTicksFor(double ttlSeconds) => ttlSeconds > 0 ? (long)(ttlSeconds * TimeSpan.TicksPerSecond) : _defaultTtlTicks;
}
