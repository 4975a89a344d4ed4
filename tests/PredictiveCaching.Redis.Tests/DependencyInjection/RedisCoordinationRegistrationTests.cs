using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using PredictiveCaching.Prediction;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Redis.Coordination;
using PredictiveCaching.Redis.Tests.Infrastructure;
using StackExchange.Redis;

namespace PredictiveCaching.Redis.Tests.DependencyInjection;

public sealed class RedisCoordinationRegistrationTests
{
    [Fact]
    public void UseRedisCoordination_ReplacesTheSingleInstanceDefaults_AndIsIdempotent()
    {
        var services = new ServiceCollection();
        services.AddDistributedMemoryCache();
        services.AddPredictiveLoading().UseRedisCoordination("127.0.0.1:1").UseRedisCoordination("127.0.0.1:1");
        using ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        Assert.IsType<RedisPrefetchCoordinator>(provider.GetRequiredService<IPrefetchCoordinator>());
        Assert.IsType<RedisExpiryLookup>(provider.GetRequiredService<IExpiryLookup>());
        Assert.Single(services, d => d.ServiceType == typeof(IPrefetchCoordinator));
        Assert.Single(services, d => d.ServiceType == typeof(IExpiryLookup));
        Assert.IsType<RedisModelStore>(provider.GetRequiredService<IModelStore>());
        Assert.Single(services, d => d.ServiceType == typeof(IModelStore));
    }

    [Fact]
    public void AddPredictiveLoading_WithoutRedis_GrantsEveryPrefetchWithoutIo()
    {
        var services = new ServiceCollection();
        services.AddDistributedMemoryCache();
        services.AddPredictiveLoading();
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.False(provider.GetRequiredService<IExpiryLookup>().IsEnabled);
        Assert.True(IsGrantedSynchronously(provider.GetRequiredService<IPrefetchCoordinator>().TryAcquireAsync("k", TimeSpan.FromSeconds(1))));
    }

    [Fact]
    public async Task StartAsync_NoConnectionGiven_FailsNamingTheOption()
    {
        using IHost host = BuildHost(services => services.AddPredictiveLoading().UseRedisCoordination());

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("PredictiveLoading:RedisCoordination:Configuration is not set", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_CommandTimeoutOutOfRange_FailsWithPathAndValue()
    {
        using IHost host = BuildHost(services => services.AddPredictiveLoading().UseRedisCoordination("127.0.0.1:1", o => o.CommandTimeout = TimeSpan.Zero));

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("PredictiveLoading:RedisCoordination:CommandTimeout must be in [00:00:00.0010000, 00:01:00]; was 00:00:00", ex.Message, StringComparison.Ordinal);
    }

    [RedisFact]
    public async Task UseRedisCoordination_ApplicationMultiplexerRegistered_IsReusedAndNotDisposed()
    {
        IConnectionMultiplexer application = await Infrastructure.Coordination.MultiplexerAsync();
        await using (application)
        {
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddSingleton(application);
            services.AddDistributedMemoryCache();
            services.AddPredictiveLoading().UseRedisCoordination();
            ServiceProvider provider = services.BuildServiceProvider();
            IDatabase? database = await provider.GetRequiredService<RedisConnection>().GetDatabaseAsync();
            await provider.DisposeAsync();

            Assert.Same(application, database!.Multiplexer);
            Assert.True(application.IsConnected);
        }
    }

    private static bool IsGrantedSynchronously(ValueTask<PrefetchLease?> acquisition) =>
        acquisition.IsCompletedSuccessfully && acquisition.Result is not null;

    [Fact]
    public void UseRedisCoordination_FromConfiguration_BindsTheRedisCoordinationSubSection_CodeWins()
    {
        IConfiguration configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["PredictiveLoading:RedisCoordination:Configuration"] = "redis.example:6379",
                ["PredictiveLoading:RedisCoordination:InstanceName"] = "app:",
                ["PredictiveLoading:RedisCoordination:LookupBatchSize"] = "64",
            })
            .Build();
        var services = new ServiceCollection();
        services.AddDistributedMemoryCache();
        services.AddPredictiveLoading(configuration).UseRedisCoordination(o => o.LookupBatchSize = 32).UseRedisCoordination(o => o.ShareModels = false);
        using ServiceProvider provider = services.BuildServiceProvider();

        RedisCoordinationOptions o = provider.GetRequiredService<IOptions<RedisCoordinationOptions>>().Value;

        Assert.Equal("redis.example:6379", o.Configuration);
        Assert.Equal("app:", o.InstanceName);
        Assert.Equal(32, o.LookupBatchSize);
        Assert.False(o.ShareModels);
    }

    [Fact]
    public async Task StartAsync_RedisCoordinationKeys_KnownWithTheLibraryAndTyposReported()
    {
        IConfiguration configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["PredictiveLoading:RedisCoordination:Configuration"] = "127.0.0.1:1",
                ["PredictiveLoading:RedisCoordination:InstanceNme"] = "app:",
            })
            .Build();
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddFakeLogging();
        builder.Services.AddDistributedMemoryCache();
        builder.Services.AddPredictiveLoading(configuration).UseRedisCoordination();
        builder.Services.AddPredictiveLoading(o => o.Prefetch.Enabled = false);
        using IHost host = builder.Build();
        await host.StartAsync();
        await host.StopAsync();

        Assert.Contains(
            host.Services.GetFakeLogCollector().GetSnapshot(),
            r => r.Level == LogLevel.Warning
                && r.Message == "PredictiveLoading:RedisCoordination:InstanceNme is not a known setting; did you mean PredictiveLoading:RedisCoordination:InstanceName?");
        Assert.DoesNotContain(host.Services.GetFakeLogCollector().GetSnapshot(), r => r.Message.Contains("RedisCoordination:Configuration is not", StringComparison.Ordinal));
    }

    private static IHost BuildHost(Action<IServiceCollection> configure)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddDistributedMemoryCache();
        configure(builder.Services);
        return builder.Build();
    }
}
