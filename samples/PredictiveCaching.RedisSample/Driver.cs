using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using PredictiveCaching.Prefetching;

namespace PredictiveCaching.Samples;

/// <summary>
/// Runs the sample application twice on one Redis — without, then with AddPredictiveLoading() — under the same load, in
/// real time, over HTTP: readers of HybridCache (products) and cache-aside readers (prices), each as
///   - rhythm readers: one key each, read every 15 s, longer than the 10 s TTL, so without prefetching every read misses;
///   - visits: a trigger key read at irregular gaps (12–20 s), then its three partner keys 1.5, 2.5 and 3.5 s later.
/// It counts origin calls, latency, and which reads were served by a prefetched value (each value carries the id of the
/// origin load that produced it), and compares its own count of used and wasted prefetches with the library's.
/// </summary>
internal static class Driver
{
    private static readonly TimeSpan RhythmPeriod = TimeSpan.FromSeconds(15);
    private static readonly double[] PartnerDelays = [1.5, 1.0, 1.0];

    // Scattered ids: consecutive ones would also be read as sequences (product:7 after product:6), which is another
    // prediction than the two this run shows.
    private static readonly int[] RhythmIds = [11, 29, 47, 83, 131, 197, 263, 331];
    private static readonly int[][] Visits = [[503, 719, 877, 941], [1013, 1237, 1409, 1583], [2011, 2339, 2687, 2903]];

    public static async Task RunAsync(string[] args)
    {
        int seconds = int.Parse(Value(args, "--seconds=") ?? "150", CultureInfo.InvariantCulture);
        string[] appArgs = [.. args.Where(static a => a != "--drive" && !a.StartsWith("--seconds=", StringComparison.Ordinal)), "--urls=http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning"];
        var results = new List<ModeResult>();
        foreach (bool predictive in new[] { false, true })
        {
            var catalog = new Catalog(SampleApp.OriginDelay);
            var warnings = new WarningCounter();
            string instance = "drive-" + Guid.NewGuid().ToString("N")[..8] + ":";
            WebApplication app = SampleApp.Build(appArgs, predictive, catalog, instance, b => b.Logging.AddProvider(warnings));
            await app.StartAsync();
            string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var http = new HttpClient { BaseAddress = new Uri(address) };
            Console.WriteLine($"{(predictive ? "with" : "without")} AddPredictiveLoading(): {seconds} s of load on {address} ...");
            // Warm up (JIT, connections) on keys the load never reads, so the first timed reads do not carry start-up.
            await http.GetStringAsync("/products/9999");
            await http.GetStringAsync("/prices/9999");
            var run = new Run(http);
            await run.DriveAsync(TimeSpan.FromSeconds(seconds));

            // Let the last copies live out their TTL, so both the library and the driver have judged every prefetch.
            await Task.Delay(SampleApp.Ttl + TimeSpan.FromSeconds(2));
            long snapshot = Stopwatch.GetTimestamp();
            PredictiveLoaderStatus? status = predictive ? app.Services.GetRequiredService<IPredictiveLoader>().GetStatus() : null;
            results.Add(new ModeResult(predictive, run, catalog, status, snapshot, warnings.Snapshot()));
            await app.StopAsync();
            await app.DisposeAsync();
        }

        Print(results);
    }

    private static string? Value(string[] args, string prefix) =>
        args.FirstOrDefault(a => a.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..];

    private static void Print(List<ModeResult> results)
    {
        Console.WriteLine();
        Console.WriteLine($"origin {SampleApp.OriginDelay.TotalMilliseconds} ms a call, TTL {SampleApp.Ttl.TotalSeconds} s, rhythm {RhythmPeriod.TotalSeconds} s");
        Console.WriteLine();
        Console.WriteLine("| readers | AddPredictiveLoading | reads | origin calls (misses + prefetches) | p50 ms | p99 ms | reads served by a prefetch | rhythm reads hit | partner reads hit |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (string kind in new[] { "product:", "price:" })
        {
            foreach (ModeResult r in results)
            {
                List<Read> reads = [.. r.Run.Reads.Where(x => x.Key.StartsWith(kind, StringComparison.Ordinal))];
                double[] latencies = [.. reads.Select(static x => x.Milliseconds).Order()];
                long misses = r.Catalog.ApplicationLoadsOf(kind) - 1; // the warm-up read
                long prefetches = r.Catalog.PrefetchLoads.Values.Count(x => x.Key.StartsWith(kind, StringComparison.Ordinal));
                int rhythm = reads.Count(static x => x.Role == Role.Rhythm);
                int partner = reads.Count(static x => x.Role == Role.Partner);
                Console.WriteLine(
                    $"| {(kind == "product:" ? "HybridCache" : "cache-aside")} | {(r.Predictive ? "with" : "without")} | {reads.Count} | {misses + prefetches} ({misses} + {prefetches}) | " +
                    $"{Percentile(latencies, 0.50):F1} | {Percentile(latencies, 0.99):F1} | {reads.Count(static x => x.Prefetched)} | " +
                    $"{reads.Count(static x => x.Role == Role.Rhythm && x.Hit)}/{rhythm} | {reads.Count(static x => x.Role == Role.Partner && x.Hit)}/{partner} |");
            }
        }

        Console.WriteLine();
        foreach (ModeResult r in results)
        {
            string hybridWarnings = r.Warnings.TryGetValue("Microsoft.Extensions.Caching.Hybrid.HybridCache[11]", out int n) ? n.ToString(CultureInfo.InvariantCulture) : "0";
            Console.WriteLine($"{(r.Predictive ? "with" : "without")}: HybridCache[11] (L2 data rejected) warnings: {hybridWarnings}; all warnings: " +
                (r.Warnings.Count == 0 ? "none" : string.Join(", ", r.Warnings.Select(static w => $"{w.Key} x{w.Value}"))));
            if (r.Status is not { } status)
            {
                continue;
            }

            // The driver's count: a prefetch load is used when a reader got its value, wasted when its copy's TTL ended
            // before the snapshot and no reader got it; younger unread ones are not judged yet.
            HashSet<long> served = [.. r.Run.Reads.Where(static x => x.Prefetched).Select(static x => x.LoadId)];
            long ttlTicks = (long)(SampleApp.Ttl.TotalSeconds * Stopwatch.Frequency);
            int used = r.Catalog.PrefetchLoads.Keys.Count(served.Contains);
            int wasted = r.Catalog.PrefetchLoads.Count(p => !served.Contains(p.Key) && p.Value.Timestamp + ttlTicks < r.Snapshot);
            int pending = r.Catalog.PrefetchLoads.Count - used - wasted;
            double libraryPrecision = status.PrefetchesUsed + status.PrefetchesWasted == 0 ? double.NaN : (double)status.PrefetchesUsed / (status.PrefetchesUsed + status.PrefetchesWasted);
            double driverPrecision = used + wasted == 0 ? double.NaN : (double)used / (used + wasted);
            Console.WriteLine($"library: used {status.PrefetchesUsed}, wasted {status.PrefetchesWasted}, precision {libraryPrecision:F3} (windowed figure {status.Precision:F3}), " +
                $"prefetches completed {status.PrefetchesCompleted}, superseded {status.PrefetchesSuperseded}, strategy {status.Strategy}");
            Console.WriteLine($"driver:  used {used}, wasted {wasted}, not yet judged {pending}, precision {driverPrecision:F3}; difference {Math.Abs(libraryPrecision - driverPrecision) * 100:F2} points");
        }
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private enum Role
    {
        Rhythm,
        Trigger,
        Partner,
    }

    private sealed record Read(string Key, Role Role, double Milliseconds, long LoadId, bool Prefetched, bool Hit);

    private sealed record Reply(string Key, long LoadId, bool Prefetched);

    private sealed record ModeResult(bool Predictive, Run Run, Catalog Catalog, PredictiveLoaderStatus? Status, long Snapshot, Dictionary<string, int> Warnings);

    private sealed class Run(HttpClient http)
    {
        // A value's load id seen before means the read was served from cache; a new one means an origin load for it.
        private readonly ConcurrentDictionary<long, byte> _seen = new();

        public ConcurrentBag<Read> Reads { get; } = [];

        public async Task DriveAsync(TimeSpan duration)
        {
            long end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            var tasks = new List<Task>();
            foreach ((string path, string key) in new[] { ("/products/", "product:"), ("/prices/", "price:") })
            {
                for (int i = 0; i < RhythmIds.Length; i++)
                {
                    tasks.Add(RhythmAsync(path, key, RhythmIds[i], TimeSpan.FromMilliseconds(i * 1811), end));
                }

                for (int g = 0; g < Visits.Length; g++)
                {
                    tasks.Add(VisitsAsync(path, key, Visits[g], new Random(g + (key.Length * 31)), TimeSpan.FromMilliseconds(g * 1300), end));
                }
            }

            await Task.WhenAll(tasks);
        }

        private async Task RhythmAsync(string path, string key, int id, TimeSpan offset, long end)
        {
            await Task.Delay(offset);
            while (Stopwatch.GetTimestamp() < end)
            {
                await ReadAsync(path, key, id, Role.Rhythm);
                await Task.Delay(RhythmPeriod);
            }
        }

        private async Task VisitsAsync(string path, string key, int[] visit, Random random, TimeSpan offset, long end)
        {
            await Task.Delay(offset);
            while (Stopwatch.GetTimestamp() < end)
            {
                await ReadAsync(path, key, visit[0], Role.Trigger);
                for (int p = 0; p < PartnerDelays.Length; p++)
                {
                    await Task.Delay(TimeSpan.FromSeconds(PartnerDelays[p]));
                    await ReadAsync(path, key, visit[1 + p], Role.Partner);
                }

                await Task.Delay(TimeSpan.FromSeconds(12 + (random.NextDouble() * 8)));
            }
        }

        private async Task ReadAsync(string path, string key, int id, Role role)
        {
            long started = Stopwatch.GetTimestamp();
            Reply reply = (await http.GetFromJsonAsync<Reply>(path + id.ToString(CultureInfo.InvariantCulture)))!;
            double milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            // A prefetched value is a hit by definition; an application-loaded one is a hit when an earlier read got it.
            bool hit = reply.Prefetched || !_seen.TryAdd(reply.LoadId, 0);
            _seen.TryAdd(reply.LoadId, 0);
            Reads.Add(new Read(key + id, role, milliseconds, reply.LoadId, reply.Prefetched, hit));
        }
    }

    /// <summary>Counts warnings by category and event id, to show whether HybridCache rejected anything.</summary>
    private sealed class WarningCounter : ILoggerProvider
    {
        private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

        public Dictionary<string, int> Snapshot() => new(_counts);

        public ILogger CreateLogger(string categoryName) => new Counter(categoryName, _counts);

        public void Dispose()
        {
        }

        private sealed class Counter(string category, ConcurrentDictionary<string, int> counts) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                {
                    counts.AddOrUpdate(category + "[" + eventId.Id.ToString(CultureInfo.InvariantCulture) + "]", 1, static (_, n) => n + 1);
                }
            }
        }
    }
}
