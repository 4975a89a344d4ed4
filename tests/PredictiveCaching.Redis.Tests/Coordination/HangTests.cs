using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Redis.Tests.Infrastructure;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace PredictiveCaching.Redis.Tests.Coordination;

/// <summary>Runs alone: it counts the process's unobserved task exceptions, which other tests' work could add to.</summary>
[CollectionDefinition(nameof(HangTests), DisableParallelization = true)]
public sealed class HangTestsRunAlone;

/// <summary>
/// Redis frozen with SIGSTOP (connections open, nothing answers) and let go with SIGCONT: prefetching must resume on its
/// own even when nothing but prefetching talks to Redis, no abandoned command may surface as an unobserved task
/// exception, and a container disposed while Redis hangs must shut down no slower than a raw <c>RedisCache</c>'s.
/// </summary>
[Collection(nameof(HangTests))]
public sealed class HangTests(ITestOutputHelper output)
{
    private static readonly DistributedCacheEntryOptions Entry = new() { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(10) };

    [RedisServerFact]
    public async Task RedisHangsAndResumes_WithLookupsAndModelSharingOff_PrefetchingResumesAndNothingIsUnobserved()
    {
        string binary = RedisServerProcess.FindBinary() ?? throw new InvalidOperationException("CI=true but no redis-server binary was found.");
        using RedisServerProcess server = await RedisServerProcess.StartAsync(binary);
        ConfigurationOptions configuration = ConfigurationOptions.Parse(server.Endpoint);
        configuration.AbortOnConnectFail = false;
        configuration.AsyncTimeout = 500;
        configuration.SyncTimeout = 500;
        await using IConnectionMultiplexer multiplexer = await ConnectionMultiplexer.ConnectAsync(configuration);
        int unobserved = 0;
        EventHandler<UnobservedTaskExceptionEventArgs> count = (_, e) => Interlocked.Increment(ref unobserved);
        TaskScheduler.UnobservedTaskException += count;
        try
        {
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddStackExchangeRedisCache(o =>
            {
                o.InstanceName = "hang:";
                o.ConnectionMultiplexerFactory = () => Task.FromResult(multiplexer);
            });
            services.AddPredictiveLoading(o => o.Strategies.Adaptive = false)
                .AddSource("p:", (_, _) => ValueTask.FromResult<PrefetchedValue?>(new PrefetchedValue(Encoding.UTF8.GetBytes("prefetched"), Entry)))
                .UseRedisCoordination(o =>
                {
                    o.LookupExpiries = false;
                    o.ShareModels = false;
                    o.CommandTimeout = TimeSpan.FromMilliseconds(200);
                });
            await using ServiceProvider provider = services.BuildServiceProvider();
            IDistributedCache cache = provider.GetRequiredService<IDistributedCache>();
            IPredictiveLoader loader = provider.GetRequiredService<IPredictiveLoader>();
            var clock = Stopwatch.StartNew();

            TimeSpan? firstBefore = await DriveUntilPrefetchAsync(cache, loader, clock, TimeSpan.FromSeconds(10));
            Assert.NotNull(firstBefore);

            server.Pause();
            TimeSpan hungAt = clock.Elapsed;
            await DriveForAsync(cache, loader, TimeSpan.FromSeconds(1));

            // The application's reads fail while Redis hangs, so they propose nothing; a prefetch that tries meets the hang.
            IPrefetchCoordinator coordinator = provider.GetRequiredService<IPrefetchCoordinator>();
            Assert.Null(await coordinator.TryAcquireAsync("p:b", TimeSpan.FromSeconds(10)));
            Assert.NotNull(coordinator.UnavailableReason);
            await DriveForAsync(cache, loader, TimeSpan.FromSeconds(2));
            Assert.NotNull(loader.GetStatus().PausedReason);
            server.Resume();
            TimeSpan resumedAt = clock.Elapsed;

            TimeSpan? firstAfter = await DriveUntilPrefetchAsync(cache, loader, clock, TimeSpan.FromSeconds(30));
            Assert.NotNull(firstAfter);
            double seconds = (firstAfter.Value - resumedAt).TotalSeconds;
            output.WriteLine($"hung {(resumedAt - hungAt).TotalSeconds:0.0} s; first completed prefetch {seconds:0.00} s after SIGCONT");

            // The probe backs off to at most 4 s between PINGs: resuming takes that, one cycle and the prefetch itself.
            Assert.InRange(seconds, 0, 8);
        }
        finally
        {
            for (int i = 0; i < 3; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }

            TaskScheduler.UnobservedTaskException -= count;
        }

        output.WriteLine($"unobserved task exceptions: {unobserved}");
        Assert.Equal(0, unobserved);
    }

    [RedisServerFact]
    public async Task DisposeWhileRedisHangs_IsNoSlowerThanARawRedisCache()
    {
        string binary = RedisServerProcess.FindBinary() ?? throw new InvalidOperationException("CI=true but no redis-server binary was found.");
        using RedisServerProcess server = await RedisServerProcess.StartAsync(binary);

        // Both own their connections, made from a configuration string, as a typical application's would be.
        ServiceProvider raw = Build(server.Endpoint, predictive: false);
        ServiceProvider predictive = Build(server.Endpoint, predictive: true);
        await raw.GetRequiredService<IDistributedCache>().SetAsync("k", [1], Entry);
        await predictive.GetRequiredService<IDistributedCache>().SetAsync("p:k", [1], Entry);
        IPredictiveLoader loader = predictive.GetRequiredService<IPredictiveLoader>();
        Assert.NotNull(await predictive.GetRequiredService<IPrefetchCoordinator>().TryAcquireAsync("p:x", TimeSpan.FromSeconds(30)));

        server.Pause();
        Task pending = raw.GetRequiredService<IDistributedCache>().SetAsync("k", [2], Entry);
        Task pendingPredictive = predictive.GetRequiredService<IDistributedCache>().SetAsync("p:k", [2], Entry);
        await loader.RunCycleAsync();

        var rawClock = Stopwatch.StartNew();
        await raw.DisposeAsync();
        TimeSpan rawTime = rawClock.Elapsed;
        var predictiveClock = Stopwatch.StartNew();
        await predictive.DisposeAsync();
        TimeSpan predictiveTime = predictiveClock.Elapsed;
        server.Resume();
        await Task.WhenAll(Observe(pending), Observe(pendingPredictive));

        output.WriteLine($"dispose with Redis hung: raw RedisCache {rawTime.TotalSeconds:0.00} s, with predictive loading and Redis coordination {predictiveTime.TotalSeconds:0.00} s");
        Assert.True(predictiveTime <= rawTime + TimeSpan.FromSeconds(1), $"{predictiveTime} against {rawTime}");
    }

    private static async Task Observe(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException or ObjectDisposedException)
        {
            // The application's own write, cut off by the hang or the shutdown: the inner cache's outcome.
        }
    }

    private static ServiceProvider Build(string endpoint, bool predictive)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddStackExchangeRedisCache(o =>
        {
            o.Configuration = endpoint + ",abortConnect=false";
            o.InstanceName = "dispose:";
        });
        if (predictive)
        {
            services.AddPredictiveLoading(o => o.Strategies.Adaptive = false)
                .AddSource("p:", (_, _) => ValueTask.FromResult<PrefetchedValue?>(new PrefetchedValue([1], Entry)))
                .UseRedisCoordination();
        }

        return services.BuildServiceProvider();
    }

    /// <summary>p:a is always followed by p:b, which the application then drops: each cycle should prefetch p:b again.</summary>
    private static async Task<TimeSpan?> DriveUntilPrefetchAsync(IDistributedCache cache, IPredictiveLoader loader, Stopwatch clock, TimeSpan limit)
    {
        long before = loader.GetStatus().PrefetchesCompleted;
        var elapsed = Stopwatch.StartNew();
        while (elapsed.Elapsed < limit)
        {
            await StepAsync(cache, loader);
            if (loader.GetStatus().PrefetchesCompleted > before)
            {
                return clock.Elapsed;
            }
        }

        return null;
    }

    private static async Task DriveForAsync(IDistributedCache cache, IPredictiveLoader loader, TimeSpan duration)
    {
        var elapsed = Stopwatch.StartNew();
        while (elapsed.Elapsed < duration)
        {
            await StepAsync(cache, loader);
        }
    }

    private static async Task StepAsync(IDistributedCache cache, IPredictiveLoader loader)
    {
        try
        {
            if (await cache.GetAsync("p:a") is null)
            {
                await cache.SetAsync("p:a", [1], Entry);
            }

            await cache.GetAsync("p:b");
            await cache.RemoveAsync("p:b");
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            // The application's own reads fail while Redis hangs; that is the inner cache's outcome.
        }

        await loader.RunCycleAsync();
        await loader.WaitForPrefetchesAsync();
        await Task.Delay(50);
    }
}
