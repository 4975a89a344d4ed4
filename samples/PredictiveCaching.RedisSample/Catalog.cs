using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace PredictiveCaching.Samples;

/// <summary>A product as the application reads it; <see cref="LoadId"/> tells the driver which origin load produced it.</summary>
internal sealed record Product(string Key, string Name, long LoadId, bool Prefetched);

/// <summary>A price, cached as bytes by the cache-aside endpoint: <c>loadId|prefetched|key|amount</c>.</summary>
internal sealed record Price(string Key, decimal Amount, long LoadId, bool Prefetched)
{
    public static byte[] Format(string key, decimal amount, long loadId, bool prefetched) =>
        Encoding.UTF8.GetBytes(FormattableString.Invariant($"{loadId}|{(prefetched ? 1 : 0)}|{key}|{amount}"));

    public static Price Parse(byte[] bytes)
    {
        string[] parts = Encoding.UTF8.GetString(bytes).Split('|');
        return new Price(parts[2], decimal.Parse(parts[3], System.Globalization.CultureInfo.InvariantCulture), long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), parts[1] == "1");
    }
}

/// <summary>The origin: slow, and counting every load — by the application (a miss) or by a prefetch, and when.</summary>
internal sealed class Catalog(TimeSpan delay)
{
    private long _nextLoadId;
    private long _applicationLoads;

    /// <summary>Prefetch loads by id: the key and when the value was handed to the library.</summary>
    public ConcurrentDictionary<long, (string Key, long Timestamp)> PrefetchLoads { get; } = new();

    public long ApplicationLoads => Interlocked.Read(ref _applicationLoads);

    public long ApplicationLoadsOf(string prefix) => _byPrefix.GetValueOrDefault(prefix);

    private readonly ConcurrentDictionary<string, long> _byPrefix = new(StringComparer.Ordinal);

    public async ValueTask<Product?> LoadProductAsync(string key, bool prefetch, CancellationToken cancellationToken)
    {
        await Task.Delay(delay, cancellationToken);
        return new Product(key, "Product " + key[(key.IndexOf(':') + 1)..], Record(key, prefetch), prefetch);
    }

    public async Task<byte[]?> LoadPriceAsync(string key, bool prefetch, CancellationToken cancellationToken)
    {
        await Task.Delay(delay, cancellationToken);
        return Price.Format(key, 9.99m, Record(key, prefetch), prefetch);
    }

    private long Record(string key, bool prefetch)
    {
        long id = Interlocked.Increment(ref _nextLoadId);
        if (prefetch)
        {
            PrefetchLoads[id] = (key, Stopwatch.GetTimestamp());
        }
        else
        {
            Interlocked.Increment(ref _applicationLoads);
            _byPrefix.AddOrUpdate(key[..(key.IndexOf(':') + 1)], 1, static (_, n) => n + 1);
        }

        return id;
    }
}
