using System.Text;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PredictiveCaching.Prefetching;

// A native AOT application using the core package the usual way: the generic host, a distributed cache decorated by
// AddPredictiveLoading, a prefetch source, a few reads, one prefetch cycle, the loader's status. Exits 0 when the
// reads went through the decorator and the status counts them; prints what it saw either way.
HostApplicationBuilder builder = Host.CreateApplicationBuilder(args);
builder.Services.AddDistributedMemoryCache();
// Bound from configuration: the options binding is the source-generated one, no reflection.
builder.Services.AddPredictiveLoading(builder.Configuration)
    .AddSource("product:", (key, _) => Task.FromResult<byte[]?>(Encoding.UTF8.GetBytes(key)));

using IHost host = builder.Build();
await host.StartAsync();

IDistributedCache cache = host.Services.GetRequiredService<IDistributedCache>();
await cache.SetStringAsync("product:1", "one");
for (int i = 0; i < 3; i++)
{
    // A key read once takes no tracking entry (the admission doorkeeper): each is read several times.
    _ = await cache.GetStringAsync("product:1");
    _ = await cache.GetStringAsync("product:2");
}

IPredictiveLoader loader = host.Services.GetRequiredService<IPredictiveLoader>();
PrefetchCycleResult cycle = await loader.RunCycleAsync();
await loader.WaitForPrefetchesAsync();
PredictiveLoaderStatus status = loader.GetStatus();
await host.StopAsync();

Console.WriteLine($"cache: {cache.GetType().Name}");
Console.WriteLine($"strategy: {status.Strategy}");
Console.WriteLine($"tracked keys: {status.TrackedKeys}");
Console.WriteLine($"cycle: {cycle}");
bool ok = cache is PredictiveCaching.Caching.PredictiveDistributedCache && status.TrackedKeys == 2;
Console.WriteLine(ok ? "aot sample: ok" : "aot sample: FAILED");
return ok ? 0 : 1;
