using System.Text;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using PredictiveCaching.Prefetching;

namespace PredictiveCaching.Samples;

/// <summary>The application: HybridCache on Redis, and what it takes to make it predictive.</summary>
internal static class SampleApp
{
    /// <summary>How long the origin takes per call, like a busy database.</summary>
    public static readonly TimeSpan OriginDelay = TimeSpan.FromMilliseconds(40);

    /// <summary>Short, so the driver's readers, who come back every 15 s, find their entry expired.</summary>
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(10);

    private static readonly HybridCacheEntryOptions ProductEntry = new() { Expiration = Ttl, LocalCacheExpiration = Ttl };
    private static readonly DistributedCacheEntryOptions PriceEntry = new() { AbsoluteExpirationRelativeToNow = Ttl };

    public static WebApplication Build(string[] args, bool predictive, Catalog catalog, string instanceName, Action<WebApplicationBuilder>? configure = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        string redis = builder.Configuration["Redis"] ?? Environment.GetEnvironmentVariable("PREDICTIVE_CACHING_REDIS") ?? "localhost:6379";
        builder.Services.AddSingleton(catalog);
        builder.Services.AddStackExchangeRedisCache(o =>
        {
            o.Configuration = redis;
            o.InstanceName = instanceName;
        });
        IHybridCacheBuilder hybrid = builder.Services.AddHybridCache(o => o.DefaultEntryOptions = ProductEntry);
        if (predictive)
        {
            // One call over HybridCache (after the IDistributedCache registration), a typed source for what it reads, a
            // raw-bytes source for the cache-aside readers, and coordination so several instances load each key once.
            hybrid.AddPredictiveLoading()
                .AddHybridSource<Product>("product:", (key, ct) => catalog.LoadProductAsync(key, prefetch: true, ct), ProductEntry)
                .AddSource("price:", async (key, ct) => await catalog.LoadPriceAsync(key, prefetch: true, ct) is { } bytes ? new PrefetchedValue(bytes, PriceEntry) : null)
                .UseRedisCoordination();
        }

        WebApplication app = builder.Build();
        app.MapGet("/products/{id:int}", async (int id, HybridCache cache, Catalog origin, CancellationToken ct) =>
        {
            string key = "product:" + id;
            return await cache.GetOrCreateAsync(key, (Origin: origin, Key: key), static (s, token) => s.Origin.LoadProductAsync(s.Key, prefetch: false, token), ProductEntry, cancellationToken: ct);
        });
        app.MapGet("/prices/{id:int}", async (int id, IDistributedCache cache, Catalog origin, CancellationToken ct) =>
        {
            string key = "price:" + id;
            byte[]? cached = await cache.GetAsync(key, ct);
            if (cached is null)
            {
                cached = (await origin.LoadPriceAsync(key, prefetch: false, ct))!;
                await cache.SetAsync(key, cached, PriceEntry, ct);
            }

            return Price.Parse(cached);
        });
        if (predictive)
        {
            app.MapGet("/predictive/status", (IPredictiveLoader loader) => loader.GetStatus());
        }

        return app;
    }
}
