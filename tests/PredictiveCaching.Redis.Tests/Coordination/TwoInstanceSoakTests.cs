using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Redis.Tests.Infrastructure;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace PredictiveCaching.Redis.Tests.Coordination;

/// <summary>
/// Two instances on one Redis, in real time: writers update a versioned origin and then write or remove the key through
/// either instance; readers read through either (without writing back, so any stale value can only come from a
/// prefetch); both instances prefetch from a slow, jittery source that reads the origin when the load starts. No read
/// may return a version older than the last one acknowledged before it began, and at rest every cached key holds the
/// origin's version. <c>PREDICTIVE_CACHING_SOAK_SECONDS</c> and <c>PREDICTIVE_CACHING_SOAK_TASKS</c> lengthen it
/// (docs/redis.md gives the longer run's command and figures).
/// </summary>
public sealed class TwoInstanceSoakTests(ITestOutputHelper output)
{
    private const int Keys = 48;
    private static readonly DistributedCacheEntryOptions Entry = new() { AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(30) };

    [RedisFact]
    public async Task TwoInstances_WritesRemovesReadsAndSlowPrefetches_NothingStaleNothingResurrected()
    {
        TimeSpan duration = TimeSpan.FromSeconds(Setting("PREDICTIVE_CACHING_SOAK_SECONDS", 20));
        int tasks = Setting("PREDICTIVE_CACHING_SOAK_TASKS", 16);
        string endpoint = await RedisTestServer.GetEndpointAsync();
        string instanceName = "soak-" + Guid.NewGuid().ToString("N")[..12] + ":";
        var origin = new VersionedOrigin(Keys);
        await using Instance first = await Instance.CreateAsync(endpoint, instanceName, origin);
        await using Instance second = await Instance.CreateAsync(endpoint, instanceName, origin);
        Instance[] instances = [first, second];
        var run = new SoakRun();

        // A quarter write and remove, the rest read; one cycle driver per instance besides.
        var workers = new List<Task>();
        int writers = Math.Max(2, tasks / 4);
        for (int i = 0; i < tasks - 2; i++)
        {
            int id = i;
            workers.Add(Task.Run(() => id < writers ? WriteAsync(instances, origin, run, id) : ReadAsync(instances, origin, run, id)));
        }

        workers.Add(Task.Run(() => DriveAsync(first, run)));
        workers.Add(Task.Run(() => DriveAsync(second, run)));
        await Task.Delay(duration);
        run.Stop();
        await Task.WhenAll(workers);
        await first.Loader.WaitForPrefetchesAsync();
        await second.Loader.WaitForPrefetchesAsync();

        // At rest: whatever is cached is the origin's current version.
        IDatabase redis = first.Multiplexer.GetDatabase();
        int staleAtRest = 0;
        for (int k = 0; k < Keys; k++)
        {
            byte[]? stored = (byte[]?)await redis.HashGetAsync(instanceName + VersionedOrigin.Key(k), "data");
            if (stored is not null && VersionedOrigin.VersionOf(stored) != origin.Current(k))
            {
                staleAtRest++;
                output.WriteLine($"stale at rest: {VersionedOrigin.Key(k)} holds {VersionedOrigin.VersionOf(stored)}, origin {origin.Current(k)}");
            }
        }

        PredictiveLoaderStatus a = first.Loader.GetStatus();
        PredictiveLoaderStatus b = second.Loader.GetStatus();
        output.WriteLine($"{duration.TotalSeconds:0} s, {tasks} tasks: {run.Writes} writes and {run.Removes} removes acknowledged, {run.Reads} reads ({run.Hits} hits)");
        output.WriteLine($"prefetches: {a.PrefetchesCompleted + b.PrefetchesCompleted} written, {a.PrefetchesSuperseded + b.PrefetchesSuperseded} fenced out (superseded), {a.PrefetchesNotGranted + b.PrefetchesNotGranted} not granted");
        output.WriteLine($"stale reads: {run.StaleReads}, resurrected removes: {run.ResurrectedRemoves}, stale at rest: {staleAtRest}, exceptions: {run.Exceptions.Count}");
        foreach (Exception exception in run.Exceptions.Take(5))
        {
            output.WriteLine(exception.ToString());
        }

        Assert.True(a.PrefetchesCompleted + b.PrefetchesCompleted > 0, "the soak must prefetch to test anything");
        Assert.True(run.Writes > 0 && run.Removes > 0 && run.Hits > 0, "the soak must write, remove and hit");
        Assert.Equal(0, run.StaleReads);
        Assert.Equal(0, run.ResurrectedRemoves);
        Assert.Equal(0, staleAtRest);
        Assert.Empty(run.Exceptions);
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value > 0 ? value : fallback;

    private static async Task WriteAsync(Instance[] instances, VersionedOrigin origin, SoakRun run, int id)
    {
        var random = new Random(id);
        while (!run.Stopped)
        {
            int k = random.Next(Keys);
            IDistributedCache cache = instances[random.Next(instances.Length)].Cache;
            bool remove = random.Next(3) == 0;

            // The application's own order: the origin first, then the cache; one writer per key at a time, as an
            // application that serialises its updates of one record would.
            await origin.Gate(k).WaitAsync();
            try
            {
                long version = origin.Update(k);
                if (remove)
                {
                    await cache.RemoveAsync(VersionedOrigin.Key(k));
                    Interlocked.Increment(ref run.Removes);
                }
                else
                {
                    await cache.SetAsync(VersionedOrigin.Key(k), VersionedOrigin.ValueOf(version), Entry);
                    Interlocked.Increment(ref run.Writes);
                }

                origin.Acknowledge(k, version, removed: remove);
            }
            catch (Exception exception)
            {
                run.Exceptions.Add(exception);
            }
            finally
            {
                origin.Gate(k).Release();
            }

            await Task.Delay(random.Next(2, 12));
        }
    }

    /// <summary>Reads pairs (k, then k + 1 a moment later) so that successors form and prefetches happen.</summary>
    private static async Task ReadAsync(Instance[] instances, VersionedOrigin origin, SoakRun run, int id)
    {
        var random = new Random(id);
        while (!run.Stopped)
        {
            int k = random.Next(Keys / 2) * 2;
            IDistributedCache cache = instances[random.Next(instances.Length)].Cache;
            try
            {
                await ReadOneAsync(cache, origin, run, k);
                await Task.Delay(random.Next(1, 5));
                await ReadOneAsync(cache, origin, run, k + 1);
            }
            catch (Exception exception)
            {
                run.Exceptions.Add(exception);
            }

            await Task.Delay(random.Next(1, 6));
        }
    }

    private static async Task ReadOneAsync(IDistributedCache cache, VersionedOrigin origin, SoakRun run, int k)
    {
        (long acknowledged, bool removed) = origin.Acknowledged(k);
        byte[]? value = await cache.GetAsync(VersionedOrigin.Key(k));
        Interlocked.Increment(ref run.Reads);
        if (value is null)
        {
            return;
        }

        Interlocked.Increment(ref run.Hits);
        if (VersionedOrigin.VersionOf(value) < acknowledged)
        {
            Interlocked.Increment(ref removed ? ref run.ResurrectedRemoves : ref run.StaleReads);
        }
    }

    private static async Task DriveAsync(Instance instance, SoakRun run)
    {
        while (!run.Stopped)
        {
            try
            {
                await instance.Loader.RunCycleAsync();
            }
            catch (Exception exception)
            {
                run.Exceptions.Add(exception);
            }

            await Task.Delay(20);
        }
    }

    private sealed class SoakRun
    {
        public long Writes;
        public long Removes;
        public long Reads;
        public long Hits;
        public long StaleReads;
        public long ResurrectedRemoves;
        private volatile bool _stopped;

        public ConcurrentBag<Exception> Exceptions { get; } = [];

        public bool Stopped => _stopped;

        public void Stop() => _stopped = true;
    }

    /// <summary>Each key's current version, and the last version whose cache write or removal was acknowledged.</summary>
    private sealed class VersionedOrigin
    {
        private readonly long[] _current;
        private readonly long[] _acknowledged;
        private readonly bool[] _removed;
        private readonly SemaphoreSlim[] _gates;
        private readonly Lock _sync = new();

        public VersionedOrigin(int keys)
        {
            _current = new long[keys];
            _acknowledged = new long[keys];
            _removed = new bool[keys];
            _gates = new SemaphoreSlim[keys];
            for (int i = 0; i < keys; i++)
            {
                _gates[i] = new SemaphoreSlim(1, 1);
            }
        }

        public static string Key(int k) => "s:" + k.ToString(CultureInfo.InvariantCulture);

        public static int Index(string key) => int.Parse(key.AsSpan(2), CultureInfo.InvariantCulture);

        public static byte[] ValueOf(long version) => Encoding.UTF8.GetBytes(version.ToString(CultureInfo.InvariantCulture));

        public static long VersionOf(byte[] value) => long.Parse(Encoding.UTF8.GetString(value), CultureInfo.InvariantCulture);

        public SemaphoreSlim Gate(int k) => _gates[k];

        public long Current(int k) => Interlocked.Read(ref _current[k]);

        public long Update(int k) => Interlocked.Increment(ref _current[k]);

        public void Acknowledge(int k, long version, bool removed)
        {
            lock (_sync)
            {
                _acknowledged[k] = version;
                _removed[k] = removed;
            }
        }

        public (long Version, bool Removed) Acknowledged(int k)
        {
            lock (_sync)
            {
                return (_acknowledged[k], _removed[k]);
            }
        }

        /// <summary>The prefetch source: reads the version when the load starts, then takes its time.</summary>
        public async ValueTask<PrefetchedValue?> LoadAsync(string key, CancellationToken cancellationToken)
        {
            long version = Current(Index(key));
            await Task.Delay(Random.Shared.Next(5, 120), cancellationToken);
            return new PrefetchedValue(ValueOf(version), Entry);
        }
    }

    private sealed class Instance : IAsyncDisposable
    {
        private Instance(ServiceProvider provider, IConnectionMultiplexer multiplexer)
        {
            Provider = provider;
            Multiplexer = multiplexer;
            Cache = provider.GetRequiredService<IDistributedCache>();
            Loader = provider.GetRequiredService<IPredictiveLoader>();
        }

        public ServiceProvider Provider { get; }

        public IConnectionMultiplexer Multiplexer { get; }

        public IDistributedCache Cache { get; }

        public IPredictiveLoader Loader { get; }

        public static async Task<Instance> CreateAsync(string endpoint, string instanceName, VersionedOrigin origin)
        {
            IConnectionMultiplexer multiplexer = await ConnectionMultiplexer.ConnectAsync(endpoint + ",abortConnect=false");
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddStackExchangeRedisCache(o =>
            {
                o.InstanceName = instanceName;
                o.ConnectionMultiplexerFactory = () => Task.FromResult(multiplexer);
            });
            services.AddPredictiveLoading(o =>
                {
                    o.Strategies.Adaptive = false;
                    o.Prefetch.Timeout = TimeSpan.FromSeconds(2);
                })
                .AddSource("s:", origin.LoadAsync)
                .UseRedisCoordination();
            return new Instance(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true }), multiplexer);
        }

        public async ValueTask DisposeAsync()
        {
            await Provider.DisposeAsync();
            await Multiplexer.DisposeAsync();
        }
    }
}
