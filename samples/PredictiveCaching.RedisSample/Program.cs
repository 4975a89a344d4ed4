// A minimal API on Redis as a user of HybridCache writes it, with a slow origin:
//   GET /products/{id}  read through HybridCache.GetOrCreateAsync (what .NET recommends), prefetched by a typed source;
//   GET /prices/{id}    read cache-aside on IDistributedCache, prefetched by a raw-bytes source;
//   GET /predictive/status  the loader's own counters (precision, used, wasted, prefetches).
//
//   redis-server --port 6379 &
//   dotnet run --project samples/PredictiveCaching.RedisSample -c Release -- --Redis=localhost:6379
//   curl localhost:5000/products/4; curl localhost:5000/predictive/status
//
// The load driver runs the same application twice, without and with AddPredictiveLoading(), on one Redis, and prints
// origin calls, p50/p99 latency and used/wasted as the library reports them and as the driver counts them:
//   dotnet run --project samples/PredictiveCaching.RedisSample -c Release -- --drive --Redis=localhost:6379 [--seconds=150]
using PredictiveCaching.Samples;

if (args.Contains("--drive"))
{
    await Driver.RunAsync(args);
    return;
}

WebApplication app = SampleApp.Build(args, predictive: !args.Contains("--no-predictive"), new Catalog(SampleApp.OriginDelay), "sample:");
await app.RunAsync();
