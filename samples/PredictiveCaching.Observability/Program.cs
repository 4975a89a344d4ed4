using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PredictiveCaching.Diagnostics;
using PredictiveCaching.Prefetching;

// A real host, real time, the default in-memory cache: a few seconds of cache-aside traffic with a rhythm and a
// successor pattern, then every instrument of the PredictiveCaching meter and the health report, as a collector sees them.
HostApplicationBuilder builder = Host.CreateApplicationBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddDistributedMemoryCache();
builder.Services
    .AddPredictiveLoading(o =>
    {
        o.Prefetch.CycleInterval = TimeSpan.FromMilliseconds(100);
        o.Warming.Enabled = false;
    })
    .AddSource("report:", (key, ct) => Task.FromResult<byte[]?>(Encoding.UTF8.GetBytes("fresh " + key)))
    .AddSource("customer:", (key, ct) => Task.FromResult<byte[]?>(Encoding.UTF8.GetBytes("fresh " + key)));
builder.Services.AddHealthChecks().AddPredictiveLoading();

using IHost host = builder.Build();
var measurements = new SortedDictionary<string, string>(StringComparer.Ordinal);
using var listener = new MeterListener();
listener.InstrumentPublished = (instrument, l) =>
{
    if (instrument.Meter.Name == PredictiveCachingDiagnostics.MeterName)
    {
        l.EnableMeasurementEvents(instrument);
    }
};
listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
listener.Start();

await host.StartAsync();
IDistributedCache cache = host.Services.GetRequiredService<IDistributedCache>();
var shortLived = new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMilliseconds(250) };
int hits = 0, misses = 0;
for (int round = 0; round < 12; round++)
{
    foreach (string key in new[] { "report:daily", "order:17", "customer:4" })
    {
        if (await cache.GetAsync(key) is null)
        {
            misses++;
            await cache.SetAsync(key, Encoding.UTF8.GetBytes("loaded " + key), shortLived);
        }
        else
        {
            hits++;
        }

        await Task.Delay(20);
    }

    await Task.Delay(400);
}

PredictiveLoaderStatus status = host.Services.GetRequiredService<IPredictiveLoader>().GetStatus();
HealthReport health = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
listener.RecordObservableInstruments();
await host.StopAsync();

Console.WriteLine($"application reads: {hits} hits, {misses} misses");
Console.WriteLine($"loader: strategy {status.Strategy}, predictor {status.PredictorKind}, {status.PrefetchesCompleted} prefetches, {status.PrefetchesUsed} used, {status.PrefetchesWasted} wasted");
Console.WriteLine($"health: {health.Status} ({health.Entries["predictive_loading"].Description})");
Console.WriteLine();
Console.WriteLine("instrument (last measurement, tags)");
foreach ((string name, string value) in measurements)
{
    Console.WriteLine($"  {name,-48} {value}");
}

void Record<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
{
    // One line per instrument and attribute value: reads{hit} and reads{miss} are two measurements of one instrument.
    string text = string.Format(CultureInfo.InvariantCulture, "{0} {1}", value, instrument.Unit);
    var key = new StringBuilder(instrument.Name);
    foreach (KeyValuePair<string, object?> tag in tags)
    {
        key.Append(CultureInfo.InvariantCulture, $"{{{tag.Value}}}");
    }

    lock (measurements)
    {
        measurements[key.ToString()] = text;
    }
}
