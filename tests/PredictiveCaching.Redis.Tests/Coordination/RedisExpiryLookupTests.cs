using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Options;
using PredictiveCaching.Redis.Coordination;
using PredictiveCaching.Redis.Tests.Infrastructure;
using StackExchange.Redis;

namespace PredictiveCaching.Redis.Tests.Coordination;

public sealed class RedisExpiryLookupTests
{
    [RedisFact]
    public async Task Lookup_EntriesWrittenByRedisCache_ReportsRemainingTtlNoExpiryAndAbsence()
    {
        await using IConnectionMultiplexer multiplexer = await Infrastructure.Coordination.MultiplexerAsync();
        string instanceName = "ttl-" + Guid.NewGuid().ToString("N")[..12] + ":";
        using var redisCache = new RedisCache(Options.Create(new RedisCacheOptions
        {
            InstanceName = instanceName,
            ConnectionMultiplexerFactory = () => Task.FromResult(multiplexer),
        }));
        await redisCache.SetAsync("expiring", [1], new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(10) });
        await redisCache.SetAsync("forever", [2], new DistributedCacheEntryOptions());
        var lookup = new RedisExpiryLookup(Infrastructure.Coordination.Connect(multiplexer, instanceName));
        var remaining = new TimeSpan?[3];

        await lookup.LookupAsync(["expiring", "forever", "absent"], remaining);

        Assert.InRange(remaining[0]!.Value, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));
        Assert.Equal(Timeout.InfiniteTimeSpan, remaining[1]);
        Assert.Null(remaining[2]);
    }

    [RedisFact]
    public async Task Lookup_MoreKeysThanOneBatch_FillsEveryKeyInOrder()
    {
        await using IConnectionMultiplexer multiplexer = await Infrastructure.Coordination.MultiplexerAsync();
        string instanceName = "ttl-" + Guid.NewGuid().ToString("N")[..12] + ":";
        IDatabase database = multiplexer.GetDatabase();
        var keys = new List<string>();
        for (int i = 0; i < 600; i++)
        {
            keys.Add("k" + i);
            if (i % 3 == 0)
            {
                await database.StringSetAsync(instanceName + "k" + i, "v", TimeSpan.FromSeconds(100 + i));
            }
        }

        var lookup = new RedisExpiryLookup(Infrastructure.Coordination.Connect(multiplexer, instanceName));
        var remaining = new TimeSpan?[keys.Count];
        await lookup.LookupAsync(keys, remaining);

        for (int i = 0; i < keys.Count; i++)
        {
            if (i % 3 == 0)
            {
                Assert.InRange(remaining[i]!.Value, TimeSpan.FromSeconds(100 + i - 5), TimeSpan.FromSeconds(100 + i));
            }
            else
            {
                Assert.Null(remaining[i]);
            }
        }
    }

    [Theory]
    [InlineData(-2L, null)]
    [InlineData(0L, 0L)]
    [InlineData(1500L, 1500L)]
    public void ToRemaining_MapsPttlReplies(long reply, long? expectedMilliseconds)
    {
        Assert.Equal(expectedMilliseconds is { } ms ? TimeSpan.FromMilliseconds(ms) : null, RedisExpiryLookup.ToRemaining(reply));
    }

    [Fact]
    public void ToRemaining_NoExpiry_IsInfinite() => Assert.Equal(Timeout.InfiniteTimeSpan, RedisExpiryLookup.ToRemaining(-1));
}
