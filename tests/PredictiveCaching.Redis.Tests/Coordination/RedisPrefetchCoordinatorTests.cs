using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Testing;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Redis.Coordination;
using PredictiveCaching.Redis.Diagnostics;
using PredictiveCaching.Redis.Tests.Infrastructure;
using StackExchange.Redis;

namespace PredictiveCaching.Redis.Tests.Coordination;

public sealed class RedisPrefetchCoordinatorTests
{
    private static readonly TimeSpan LongLease = TimeSpan.FromSeconds(30);

    private static string NewKey() => "lease-test:" + Guid.NewGuid().ToString("N");

    [RedisFact]
    public async Task TryAcquire_HeldByAnotherInstance_IsDeniedUntilReleased()
    {
        await using IConnectionMultiplexer one = await Infrastructure.Coordination.MultiplexerAsync();
        await using IConnectionMultiplexer two = await Infrastructure.Coordination.MultiplexerAsync();
        var first = new RedisPrefetchCoordinator(Infrastructure.Coordination.Connect(one), TimeProvider.System);
        var second = new RedisPrefetchCoordinator(Infrastructure.Coordination.Connect(two), TimeProvider.System);
        string key = NewKey();

        PrefetchLease? held = await first.TryAcquireAsync(key, LongLease);
        PrefetchLease? denied = await second.TryAcquireAsync(key, LongLease);
        Assert.NotNull(held);
        Assert.Null(denied);

        await held.DisposeAsync();
        PrefetchLease? granted = await second.TryAcquireAsync(key, LongLease);
        Assert.NotNull(granted);
        await granted.DisposeAsync();
    }

    [RedisFact]
    public async Task Release_AfterTheLeaseLapsedAndWasTakenByAnother_LeavesTheNewHoldersLease()
    {
        await using IConnectionMultiplexer multiplexer = await Infrastructure.Coordination.MultiplexerAsync();
        var first = new RedisPrefetchCoordinator(Infrastructure.Coordination.Connect(multiplexer), TimeProvider.System);
        var second = new RedisPrefetchCoordinator(Infrastructure.Coordination.Connect(multiplexer), TimeProvider.System);
        string key = NewKey();

        PrefetchLease? late = await first.TryAcquireAsync(key, TimeSpan.FromMilliseconds(50));
        Assert.NotNull(late);
        PrefetchLease? current = await PollUntilGrantedAsync(second, key, LongLease, TimeSpan.FromSeconds(5));
        Assert.NotNull(current);

        await late.DisposeAsync();

        Assert.Null(await first.TryAcquireAsync(key, LongLease));
        await current.DisposeAsync();
    }

    [RedisFact]
    public async Task Lease_WhenItsHolderDiesWithoutReleasing_ExpiresAndIsGrantedToAnotherInstance()
    {
        // Long enough that closing the dying connection on a busy machine cannot outlast it before the denial is checked.
        TimeSpan leaseTime = TimeSpan.FromSeconds(3);
        IConnectionMultiplexer dying = await Infrastructure.Coordination.MultiplexerAsync();
        await using IConnectionMultiplexer survivor = await Infrastructure.Coordination.MultiplexerAsync();
        var holder = new RedisPrefetchCoordinator(Infrastructure.Coordination.Connect(dying), TimeProvider.System);
        var other = new RedisPrefetchCoordinator(Infrastructure.Coordination.Connect(survivor), TimeProvider.System);
        string key = NewKey();

        Assert.NotNull(await holder.TryAcquireAsync(key, leaseTime));
        var sinceAcquired = Stopwatch.StartNew();
        await dying.DisposeAsync();

        Assert.Null(await other.TryAcquireAsync(key, leaseTime));
        PrefetchLease? granted = await PollUntilGrantedAsync(other, key, leaseTime, TimeSpan.FromSeconds(10));

        Assert.NotNull(granted);
        Assert.True(sinceAcquired.Elapsed >= leaseTime - TimeSpan.FromMilliseconds(50), $"granted after {sinceAcquired.Elapsed}, before the lease time");
        await granted.DisposeAsync();
    }

    [Fact]
    public async Task TryAcquire_RedisUnreachable_DeniesAndLogsAndCountsTheOutageOnce()
    {
        // A port nothing listens on: the multiplexer never connects.
        await using IConnectionMultiplexer unreachable = await ConnectionMultiplexer.ConnectAsync("127.0.0.1:1,abortConnect=false,connectTimeout=200");
        var logger = new FakeLogger<RedisConnection>();
        using var metrics = new RedisCoordinationMetrics();
        using var outages = new MetricCollector<long>(metrics.Outages);
        using var skipped = new MetricCollector<long>(metrics.SkippedWhileUnavailable);
        RedisConnection connection = Infrastructure.Coordination.Connect(unreachable, logger: logger, metrics: metrics);
        var coordinator = new RedisPrefetchCoordinator(connection, TimeProvider.System);
        var lookup = new RedisExpiryLookup(connection);
        var remaining = new TimeSpan?[2];

        for (int i = 0; i < 5; i++)
        {
            Assert.Null(await coordinator.TryAcquireAsync("k" + i, LongLease));
        }

        await lookup.LookupAsync(["k0", "k1"], remaining);

        Assert.All(remaining, Assert.Null);
        Assert.True(connection.IsUnavailable);
        Assert.Single(logger.Collector.GetSnapshot(), r => r.Id.Id == 200);
        Assert.Equal(1, outages.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(6, skipped.GetMeasurementSnapshot().EvaluateAsCounter());
    }

    private static async Task<PrefetchLease?> PollUntilGrantedAsync(RedisPrefetchCoordinator coordinator, string key, TimeSpan leaseTime, TimeSpan limit)
    {
        var elapsed = Stopwatch.StartNew();
        while (elapsed.Elapsed < limit)
        {
            if (await coordinator.TryAcquireAsync(key, leaseTime) is { } lease)
            {
                return lease;
            }

            await Task.Delay(20);
        }

        return null;
    }
}
