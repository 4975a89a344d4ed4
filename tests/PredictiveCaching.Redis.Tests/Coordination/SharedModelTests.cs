using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using PredictiveCaching.Features;
using PredictiveCaching.Prediction;
using PredictiveCaching.Redis.Coordination;
using PredictiveCaching.Redis.Tests.Infrastructure;
using StackExchange.Redis;

namespace PredictiveCaching.Redis.Tests.Coordination;

/// <summary>
/// Trained models shared through Redis between instances (two or three containers on one redis-server). Models are
/// built directly from compiled-tree arrays, as a scoring-only service (no ML package) would receive them.
/// </summary>
public sealed class SharedModelTests
{
    [RedisFact]
    public async Task PublishedModel_IsTakenByAnotherInstance_OnItsNextCycle()
    {
        string endpoint = await RedisTestServer.GetEndpointAsync();
        string name = UniqueName();
        var origin = new SharedOrigin();
        await using PredictiveInstance a = await PredictiveInstance.CreateAsync(endpoint, name, origin);
        await using PredictiveInstance b = await PredictiveInstance.CreateAsync(endpoint, name, origin);
        Assert.Equal("heuristic", b.Loader.GetStatus().PredictorKind);

        ModelPublishStatus status = await PublishAsync(a, ModelFor(a, version: 3));
        Assert.Equal("heuristic", b.Loader.GetStatus().PredictorKind);
        await b.CycleAsync();

        Assert.Equal(ModelPublishStatus.Published, status);
        Assert.Equal("model v3", b.Loader.GetStatus().PredictorKind);
        TreeModel taken = Assert.IsType<TreeModel>(b.Provider.GetRequiredService<ActivePredictor>().Current);
        Assert.Equal(1000, taken.Metadata.SampleCount);
    }

    [RedisFact]
    public async Task StalePublish_DoesNotReplaceTheNewerSharedModel()
    {
        string endpoint = await RedisTestServer.GetEndpointAsync();
        string name = UniqueName();
        var origin = new SharedOrigin();
        await using PredictiveInstance a = await PredictiveInstance.CreateAsync(endpoint, name, origin);
        await using PredictiveInstance b = await PredictiveInstance.CreateAsync(endpoint, name, origin);

        Assert.Equal(ModelPublishStatus.Published, await PublishAsync(a, ModelFor(a, version: 5)));
        Assert.Equal(ModelPublishStatus.Superseded, await PublishAsync(b, ModelFor(b, version: 4)));
        Assert.Equal(ModelPublishStatus.Superseded, await PublishAsync(b, ModelFor(b, version: 5, sampleCount: 7)));
        await b.CycleAsync();

        Assert.Equal("model v5", b.Loader.GetStatus().PredictorKind);
        Assert.Equal(1000, Assert.IsType<TreeModel>(b.Provider.GetRequiredService<ActivePredictor>().Current).Metadata.SampleCount);
        RedisKey key = RedisModelStore.ModelKey(new RedisCoordinationOptions { InstanceName = name });
        Assert.Equal(5, (long)await a.Multiplexer.GetDatabase().HashGetAsync(key, "version"));
    }

    [RedisFact]
    public async Task NewInstance_StartsWithTheSharedModel_BeforeAnyCycle()
    {
        string endpoint = await RedisTestServer.GetEndpointAsync();
        string name = UniqueName();
        var origin = new SharedOrigin();
        await using PredictiveInstance a = await PredictiveInstance.CreateAsync(endpoint, name, origin);
        Assert.Equal(ModelPublishStatus.Published, await PublishAsync(a, ModelFor(a, version: 2)));

        await using PredictiveInstance c = await PredictiveInstance.CreateAsync(endpoint, name, origin);
        Assert.Equal("heuristic", c.Loader.GetStatus().PredictorKind);

        // What the host does first: every lifecycle service's StartingAsync, before any hosted service starts.
        foreach (IHostedService service in c.Provider.GetServices<IHostedService>())
        {
            if (service is IHostedLifecycleService lifecycle)
            {
                await lifecycle.StartingAsync(CancellationToken.None);
            }
        }

        Assert.Equal("model v2", c.Loader.GetStatus().PredictorKind);
    }

    [RedisFact]
    public async Task ModelOfAnotherSchema_IsRefusedOnce_AndTheHeuristicKept()
    {
        string endpoint = await RedisTestServer.GetEndpointAsync();
        string name = UniqueName();
        var origin = new SharedOrigin();
        await using PredictiveInstance a = await PredictiveInstance.CreateAsync(endpoint, name, origin);
        await using PredictiveInstance b = await PredictiveInstance.CreateAsync(endpoint, name, origin, FakeLogs);
        Assert.Equal(ModelPublishStatus.Published, await PublishAsync(a, Model(["hour", "tenant-tier"], version: 9)));

        await b.CycleAsync();
        await b.CycleAsync();

        Assert.Equal("heuristic", b.Loader.GetStatus().PredictorKind);
        FakeLogRecord refused = Assert.Single(b.Provider.GetRequiredService<FakeLogCollector>().GetSnapshot(), r => r.Id.Id == 81);
        Assert.Equal(LogLevel.Warning, refused.Level);
        Assert.Contains("Shared model v9 is refused and heuristic stays in use", refused.Message, StringComparison.Ordinal);
        Assert.Contains("different feature schema", refused.Message, StringComparison.Ordinal);
    }

    [RedisServerFact]
    public async Task RedisStopped_NoExceptionAndNothingShared_PickUpResumesAfterRestart()
    {
        using RedisServerProcess server = await RedisServerProcess.StartAsync(RedisServerProcess.FindBinary()!);
        string name = UniqueName();
        var origin = new SharedOrigin();
        await using PredictiveInstance a = await PredictiveInstance.CreateAsync(server.Endpoint, name, origin);
        await using PredictiveInstance b = await PredictiveInstance.CreateAsync(server.Endpoint, name, origin);
        Assert.Equal(ModelPublishStatus.Published, await PublishAsync(a, ModelFor(a, version: 1)));
        await b.CycleAsync();
        Assert.Equal("model v1", b.Loader.GetStatus().PredictorKind);

        server.Kill();
        await WaitUntilAsync(() => !a.Multiplexer.IsConnected && !b.Multiplexer.IsConnected);
        ModelPublishStatus during = await PublishAsync(a, ModelFor(a, version: 2));
        await b.CycleAsync();
        Assert.Equal(ModelPublishStatus.Unavailable, during);
        Assert.Equal("model v1", b.Loader.GetStatus().PredictorKind);

        await server.StartAsync();
        await WaitUntilAsync(() => a.Multiplexer.IsConnected && b.Multiplexer.IsConnected);
        Assert.Equal(ModelPublishStatus.Published, await PublishAsync(a, ModelFor(a, version: 2)));
        await b.CycleAsync();
        Assert.Equal("model v2", b.Loader.GetStatus().PredictorKind);
    }

    private static string UniqueName() => "shared-model-" + Guid.NewGuid().ToString("N")[..8] + ":";

    private static void FakeLogs(IServiceCollection services) =>
        services.AddLogging(b => b.AddFakeLogging().SetMinimumLevel(LogLevel.Debug));

    private static async Task<ModelPublishStatus> PublishAsync(PredictiveInstance instance, TreeModel model)
    {
        using var buffer = new MemoryStream();
        TreeModelFormat.Save(model, buffer);
        var shared = new SharedModel(model.Metadata.Version, model.SchemaFingerprint, buffer.ToArray());
        return await instance.Provider.GetRequiredService<IModelStore>().PublishAsync(shared);
    }

    private static TreeModel ModelFor(PredictiveInstance instance, int version, int sampleCount = 1000) =>
        Model(instance.Provider.GetRequiredService<FeatureSchema>().Names, version, sampleCount);

    // One split on the first feature, two leaves: enough to be a real ensemble in the file format.
    private static TreeModel Model(IReadOnlyList<string> names, int version, int sampleCount = 1000)
    {
        var classifier = new CompiledTreeEnsemble(names.Count, 0d, [0], [0], [0.5f], [~0], [~1], [-1d, 1d]);
        var metadata = new TreeModelMetadata { Version = version, SampleCount = sampleCount, PositiveCount = sampleCount / 4, Lookahead = TimeSpan.FromMinutes(5) };
        return new TreeModel(names, classifier, new PlattCalibration(-1d, 0d), null, metadata);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(15), "condition not met within 15 s");
            await Task.Delay(50);
        }
    }
}
