using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Redis.Tests.Infrastructure;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace PredictiveCaching.Redis.Tests.Coordination;

/// <summary>
/// Redis killed and restarted under load. The server runs with <c>--appendonly yes --appendfsync always</c>, so every
/// write Redis acknowledged survives the restart: a write is lost when, after recovery, its key does not hold the last
/// acknowledged value or a later one (a later, unacknowledged write may have landed before its reply was cut off).
/// </summary>
public sealed class FaultTests(ITestOutputHelper output)
{
    private const int Writers = 8;
    private const int Readers = 8;
    private const int KeysPerWriter = 4;
    private static readonly DistributedCacheEntryOptions Entry = new() { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(10) };

    [RedisServerFact]
    public async Task RedisKilledAndRestarted_16ReadersAndWriters_NoWriteLostOnlyInnerErrorsAndPrefetchResumes()
    {
        string binary = RedisServerProcess.FindBinary() ?? throw new InvalidOperationException("CI=true but no redis-server binary was found.");
        using RedisServerProcess server = await RedisServerProcess.StartAsync(binary, "--appendonly", "yes", "--appendfsync", "always");
        ConfigurationOptions configuration = ConfigurationOptions.Parse(server.Endpoint);
        configuration.AbortOnConnectFail = false;
        configuration.ConnectTimeout = 500;
        configuration.AsyncTimeout = 500;
        configuration.SyncTimeout = 500;
        configuration.ReconnectRetryPolicy = new LinearRetry(100);
        await using IConnectionMultiplexer multiplexer = await ConnectionMultiplexer.ConnectAsync(configuration);

        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddFakeLogging().SetMinimumLevel(LogLevel.Debug));
        services.AddSingleton(multiplexer);
        services.AddStackExchangeRedisCache(o =>
        {
            o.InstanceName = "fault:";
            o.ConnectionMultiplexerFactory = () => Task.FromResult(multiplexer);
        });
        long prefetchLoads = 0;
        services.AddPredictiveLoading(o => o.Strategies.Adaptive = false)
            .AddSource("p:", (key, _) =>
            {
                Interlocked.Increment(ref prefetchLoads);
                return ValueTask.FromResult<PrefetchedValue?>(new PrefetchedValue(Encoding.UTF8.GetBytes("prefetched"), Entry));
            })
            // Any other key a prefetch might pick would be written with a stale value: the check below would catch it.
            .AddSource(static _ => true, (_, _) => ValueTask.FromResult<PrefetchedValue?>(new PrefetchedValue(Encoding.UTF8.GetBytes("-1"), Entry)))
            .UseRedisCoordination(o => o.InstanceName = "fault:");
        await using ServiceProvider provider = services.BuildServiceProvider();
        IDistributedCache cache = provider.GetRequiredService<IDistributedCache>();
        IPredictiveLoader loader = provider.GetRequiredService<IPredictiveLoader>();

        var run = new Run();
        var workers = new List<Task>();
        for (int w = 0; w < Writers; w++)
        {
            int writer = w;
            workers.Add(Task.Run(() => WriteAsync(cache, run, writer)));
        }

        for (int r = 0; r < Readers; r++)
        {
            int reader = r;
            workers.Add(Task.Run(() => ReadAsync(cache, run, reader)));
        }

        Task prefetching = Task.Run(() => DriveAsync(cache, loader, run));

        // Before: prefetching works.
        await run.WaitUntilAsync(() => !run.PrefetchesCompletedAt.IsEmpty, TimeSpan.FromSeconds(10));
        Assert.NotEmpty(run.PrefetchesCompletedAt);
        await Task.Delay(500);

        // Outage: kill redis-server by its pid, keep the load on for a second, restart it on the same port.
        run.Phase = Phase.Outage;
        var clock = Stopwatch.StartNew();
        server.Kill();
        await Task.Delay(1000);
        await server.StartAsync();
        TimeSpan restartedAt = clock.Elapsed;
        run.Phase = Phase.Recovered;

        // After: at least a second of load, and until a prefetch has completed again (at most 15 s).
        await Task.Delay(1000);
        await run.WaitUntilAsync(() => run.PrefetchesCompletedAt.Any(t => t > restartedAt + run.OutageStartedAt), TimeSpan.FromSeconds(15));
        run.Stop();
        await Task.WhenAll(workers);
        await prefetching;

        // Every acknowledged write is readable with its last acknowledged value (or a later one).
        await run.WaitUntilAsync(() => multiplexer.IsConnected, TimeSpan.FromSeconds(10));
        int lost = 0;
        foreach ((string key, long acknowledged) in run.LastAcknowledged)
        {
            byte[]? stored = await cache.GetAsync(key);
            long value = stored is null ? -2 : long.Parse(Encoding.UTF8.GetString(stored), CultureInfo.InvariantCulture);
            if (value < acknowledged)
            {
                lost++;
                output.WriteLine($"lost: {key} holds {value}, acknowledged {acknowledged}");
            }
        }

        TimeSpan? resumedAfter = run.PrefetchesCompletedAt.Where(t => t > restartedAt + run.OutageStartedAt).Select(t => t - (restartedAt + run.OutageStartedAt)).Cast<TimeSpan?>().FirstOrDefault();
        IReadOnlyList<FakeLogRecord> logs = provider.GetFakeLogCollector().GetSnapshot();
        int unavailableLines = logs.Count(l => l.Id.Id == 200);
        PredictiveLoaderStatus status = loader.GetStatus();
        output.WriteLine($"operations: {run.Operations[0]} before, {run.Operations[1]} during the outage ({run.Operations[1] - run.Errors[1]} succeeded), {run.Operations[2]} after");
        output.WriteLine($"errors seen by the application: {run.Errors[0]} before, {run.Errors[1]} during, {run.Errors[2]} after; kinds: {string.Join(", ", run.ErrorKinds.Select(p => p.Key + " x" + p.Value))}");
        output.WriteLine($"writes acknowledged: {run.Acknowledged}; keys checked: {run.LastAcknowledged.Count}; writes lost: {lost}");
        output.WriteLine($"outage: {restartedAt.TotalSeconds:0.00} s from kill to restarted server; prefetch resumed {resumedAfter?.TotalSeconds:0.00} s after the restart");
        output.WriteLine($"prefetch: {status.PrefetchesCompleted} completed, {status.PrefetchesNotGranted} not granted (paused), {status.PrefetchesFailed} failed; 'coordination unavailable' log lines: {unavailableLines}; restored lines: {logs.Count(l => l.Id.Id == 201)}");

        Assert.Equal(0, lost);
        Assert.True(run.Operations[1] > 0, "the load went on during the outage");
        Assert.Empty(run.ForeignErrors);
        Assert.NotNull(resumedAfter);
        // Paused with one line per outage (a reconnect that flaps may make a second), and resumed with one.
        Assert.InRange(unavailableLines, 1, 3);
        Assert.InRange(logs.Count(l => l.Id.Id == 201), 1, unavailableLines);
    }

    private static async Task WriteAsync(IDistributedCache cache, Run run, int writer)
    {
        long sequence = 0;
        while (!run.Stopped)
        {
            string key = "w" + writer + ":k" + (sequence % KeysPerWriter);
            long value = ++sequence;
            Phase phase = run.Phase;
            try
            {
                await cache.SetAsync(key, Encoding.UTF8.GetBytes(value.ToString(CultureInfo.InvariantCulture)), Entry);
                run.LastAcknowledged[key] = value;
                Interlocked.Increment(ref run.Acknowledged);
                run.Count(phase, null);
            }
            catch (Exception exception)
            {
                run.Count(phase, exception);
                await Task.Delay(10);
            }
        }
    }

    private static async Task ReadAsync(IDistributedCache cache, Run run, int reader)
    {
        var random = new Random(reader);
        while (!run.Stopped)
        {
            string key = "w" + random.Next(Writers) + ":k" + random.Next(KeysPerWriter);
            Phase phase = run.Phase;
            try
            {
                await cache.GetAsync(key);
                run.Count(phase, null);
            }
            catch (Exception exception)
            {
                run.Count(phase, exception);
                await Task.Delay(10);
            }
        }
    }

    /// <summary>p:a is always followed by p:b, which the application then drops: each cycle should prefetch p:b again.</summary>
    private static async Task DriveAsync(IDistributedCache cache, IPredictiveLoader loader, Run run)
    {
        long completed = 0;
        while (!run.Stopped)
        {
            Phase phase = run.Phase;
            try
            {
                if (await cache.GetAsync("p:a") is null)
                {
                    await cache.SetAsync("p:a", [1], Entry);
                }

                await cache.GetAsync("p:b");
                await cache.RemoveAsync("p:b");
            }
            catch (Exception exception)
            {
                run.Count(phase, exception);
            }

            await loader.RunCycleAsync();
            await loader.WaitForPrefetchesAsync();
            long now = loader.GetStatus().PrefetchesCompleted;
            if (now > completed)
            {
                completed = now;
                run.PrefetchesCompletedAt.Add(run.Elapsed);
            }

            await Task.Delay(50);
        }
    }

    private enum Phase
    {
        Before = 0,
        Outage = 1,
        Recovered = 2,
    }

    private sealed class Run
    {
        public readonly long[] Operations = new long[3];
        public readonly long[] Errors = new long[3];
        public long Acknowledged;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private volatile bool _stopped;
        private volatile Phase _phase;

        public ConcurrentDictionary<string, long> LastAcknowledged { get; } = new(StringComparer.Ordinal);

        public ConcurrentDictionary<string, int> ErrorKinds { get; } = new(StringComparer.Ordinal);

        public ConcurrentBag<Exception> ForeignErrors { get; } = [];

        public ConcurrentBag<TimeSpan> PrefetchesCompletedAt { get; } = [];

        public TimeSpan OutageStartedAt { get; private set; }

        public TimeSpan Elapsed => _clock.Elapsed;

        public bool Stopped => _stopped;

        public Phase Phase
        {
            get => _phase;
            set
            {
                if (value == Phase.Outage)
                {
                    OutageStartedAt = _clock.Elapsed;
                }

                _phase = value;
            }
        }

        public void Stop() => _stopped = true;

        public void Count(Phase phase, Exception? exception)
        {
            Interlocked.Increment(ref Operations[(int)phase]);
            if (exception is null)
            {
                return;
            }

            Interlocked.Increment(ref Errors[(int)phase]);
            string assembly = exception.GetType().Assembly.GetName().Name!;
            ErrorKinds.AddOrUpdate(exception.GetType().FullName + " (" + assembly + ")", 1, static (_, n) => n + 1);

            // The inner cache's own errors are StackExchange.Redis's or RedisCache's exceptions, passed through as they
            // are: not of a PredictiveCaching type, and not thrown by PredictiveCaching code (the throw site is the first
            // frame of the trace; StackExchange.Redis completes faulted tasks, so there may be none of its own).
            bool inner = assembly is "StackExchange.Redis" or "Microsoft.Extensions.Caching.StackExchangeRedis";
            string? throwSite = exception.StackTrace?.Split('\n', 2)[0];
            bool thrownByUs = throwSite is not null && throwSite.Contains(" at PredictiveCaching.", StringComparison.Ordinal);
            if (!inner || thrownByUs)
            {
                ForeignErrors.Add(exception);
            }
        }

        public async Task WaitUntilAsync(Func<bool> condition, TimeSpan limit)
        {
            var elapsed = Stopwatch.StartNew();
            while (!condition() && elapsed.Elapsed < limit)
            {
                await Task.Delay(20);
            }
        }
    }
}
