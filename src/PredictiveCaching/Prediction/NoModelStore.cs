namespace PredictiveCaching.Prediction;

/// <summary>The default <see cref="IModelStore"/> of a single instance: shares nothing, without I/O.</summary>
internal sealed class NoModelStore : IModelStore
{
    public ValueTask<ModelPublishStatus> PublishAsync(SharedModel model, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(ModelPublishStatus.Unavailable);

    public ValueTask<SharedModel?> TryGetNewerAsync(long currentVersion, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<SharedModel?>(null);
}
