// A minimal API on Redis with a slow origin. HybridCache sits on IDistributedCache, which is the predictive decorator
// over RedisCache: its L2 reads and writes are tracked like any other. Products, read cache-aside on IDistributedCache,
// are prefetched: the ones that tend to follow an order, and the next product of a sequence.
//
// Why products are not read through HybridCache here: HybridCache frames what it writes to L2 (a header, the key, the
// value, a trailer) and ignores L2 entries it did not frame (warning event 11), so a prefetched value, which is the
// source's own bytes, would be loaded again from the origin. Until prefetching can write HybridCache's framing, values
// meant to be prefetched are best read through IDistributedCache (see docs/faq.md).
//
//   redis-server --port 6379 &
//   dotnet run --project samples/PredictiveCaching.RedisSample -- --Redis=localhost:6379
//   for i in 1 2 3; do curl localhost:5000/orders/17; curl localhost:5000/products/4; sleep 35; done
//   curl localhost:5000/predictive/status
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using PredictiveCaching.Prefetching;
using StackExchange.Redis;

WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
string redis = builder.Configuration["Redis"] ?? Environment.GetEnvironmentVariable("PREDICTIVE_CACHING_REDIS") ?? "localhost:6379";

// One multiplexer for the application: RedisCache uses it, and Redis coordination reuses it from the container.
builder.Services.AddSingleton<IConnectionMultiplexer>(_ =>
    ConnectionMultiplexer.Connect(ConfigurationOptions.Parse(redis + ",abortConnect=false")));
builder.Services.AddStackExchangeRedisCache(o => o.InstanceName = "sample:");
builder.Services.AddOptions<Microsoft.Extensions.Caching.StackExchangeRedis.RedisCacheOptions>()
    .Configure<IServiceProvider>((o, services) =>
        o.ConnectionMultiplexerFactory = () => Task.FromResult(services.GetRequiredService<IConnectionMultiplexer>()));
builder.Services.AddSingleton<SlowOrigin>();
builder.Services.AddPredictiveLoading()
    .AddSource("product:", (key, ct) => new ValueTask<PrefetchedValue?>(LoadForPrefetchAsync(key, ct)))
    .UseRedisCoordination(o => o.InstanceName = "sample:");
builder.Services.AddHybridCache(o => o.DefaultEntryOptions = new HybridCacheEntryOptions
{
    Expiration = TimeSpan.FromSeconds(30),
    LocalCacheExpiration = TimeSpan.FromSeconds(5),
});

WebApplication app = builder.Build();

app.MapGet("/orders/{id:int}", async (int id, HybridCache cache, SlowOrigin origin, CancellationToken ct) =>
    await cache.GetOrCreateAsync($"order:{id}", async token => await origin.LoadAsync($"order:{id}", token), cancellationToken: ct));

app.MapGet("/products/{id:int}", async (int id, IDistributedCache cache, SlowOrigin origin, CancellationToken ct) =>
{
    long started = Stopwatch.GetTimestamp();
    string key = $"product:{id}";
    byte[]? cached = await cache.GetAsync(key, ct);
    string value;
    if (cached is null)
    {
        value = await origin.LoadAsync(key, ct);
        await cache.SetAsync(key, Encoding.UTF8.GetBytes(value), new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(30) }, ct);
    }
    else
    {
        value = Encoding.UTF8.GetString(cached);
    }

    return new { value, cached = cached is not null, milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds };
});

// What the loader does: strategy, precision, prefetches started / completed / not granted (another instance had the
// lease, or Redis was unreachable), and why it is paused, if it is.
app.MapGet("/predictive/status", (IPredictiveLoader loader) => loader.GetStatus());

app.Run();

// The same bytes the product endpoint writes on a miss.
static async Task<PrefetchedValue?> LoadForPrefetchAsync(string key, CancellationToken cancellationToken)
{
    string value = await SlowOrigin.LoadCoreAsync(key, cancellationToken);
    return new PrefetchedValue(Encoding.UTF8.GetBytes(value), new() { AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(30) });
}

/// <summary>An origin that takes 300 ms a call, like a busy database.</summary>
internal sealed class SlowOrigin
{
    public ValueTask<string> LoadAsync(string key, CancellationToken cancellationToken) => new(LoadCoreAsync(key, cancellationToken));

    public static async Task<string> LoadCoreAsync(string key, CancellationToken cancellationToken)
    {
        await Task.Delay(300, cancellationToken);
        return "value of " + key;
    }
}
