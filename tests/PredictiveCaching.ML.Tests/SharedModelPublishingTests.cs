using Microsoft.Extensions.DependencyInjection;
using PredictiveCaching.Features;
using PredictiveCaching.Prediction;

namespace PredictiveCaching.MachineLearning.Tests;

public sealed class SharedModelPublishingTests
{
    [Fact]
    public async Task TrainAsync_AcceptedModel_IsPublishedToTheModelStore()
    {
        var store = new RecordingModelStore();
        using var sut = MlHarness.Create(build: b => b.Services.AddSingleton<IModelStore>(store));
        sut.RunRhythm(TimeSpan.FromHours(1));

        TrainingOutcome outcome = await sut.Trainer.TrainAsync();

        Assert.Equal(TrainingStatus.Accepted, outcome.Status);
        SharedModel published = Assert.Single(store.Published);
        Assert.Equal(1, published.Version);
        Assert.Equal(sut.Provider.GetRequiredService<FeatureSchema>().Fingerprint, published.SchemaFingerprint);
        TreeModel loaded = TreeModelFormat.Load(new MemoryStream(published.Data.ToArray()));
        Assert.Equal(outcome.Model!.Metadata.SampleCount, loaded.Metadata.SampleCount);
    }

    [Fact]
    public async Task TrainAsync_AfterTakingSharedModelV7_TrainsAndPublishesV8()
    {
        var store = new RecordingModelStore();
        using var sut = MlHarness.Create(build: b => b.Services.AddSingleton<IModelStore>(store));
        FeatureSchema schema = sut.Provider.GetRequiredService<FeatureSchema>();
        store.Offer = Serialize(ConstantModel(schema.Names, version: 7));
        Assert.True(await sut.Provider.GetRequiredService<SharedModelSync>().RefreshAsync());
        Assert.Equal("model v7", sut.Active.Current.Kind);
        sut.RunRhythm(TimeSpan.FromHours(1));

        TrainingOutcome outcome = await sut.Trainer.TrainAsync();

        Assert.Equal(TrainingStatus.Accepted, outcome.Status);
        Assert.Equal("model v8", sut.Active.Current.Kind);
        Assert.Equal(8, Assert.Single(store.Published).Version);
    }

    // A model that knows nothing: the same probability for every key, so a trained one beats it.
    private static TreeModel ConstantModel(IReadOnlyList<string> names, int version) =>
        new(names, new CompiledTreeEnsemble(names.Count, 0d, [~0], [], [], [], [], [0d]), new PlattCalibration(0d, 0d), null, new TreeModelMetadata { Version = version });

    private static SharedModel Serialize(TreeModel model)
    {
        using var buffer = new MemoryStream();
        TreeModelFormat.Save(model, buffer);
        return new SharedModel(model.Metadata.Version, model.SchemaFingerprint, buffer.ToArray());
    }

    private sealed class RecordingModelStore : IModelStore
    {
        public List<SharedModel> Published { get; } = [];

        public SharedModel? Offer { get; set; }

        public ValueTask<ModelPublishStatus> PublishAsync(SharedModel model, CancellationToken cancellationToken = default)
        {
            lock (Published)
            {
                Published.Add(model);
            }

            return ValueTask.FromResult(ModelPublishStatus.Published);
        }

        public ValueTask<SharedModel?> TryGetNewerAsync(long currentVersion, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Offer is { } offer && offer.Version > currentVersion ? offer : null);
    }
}
