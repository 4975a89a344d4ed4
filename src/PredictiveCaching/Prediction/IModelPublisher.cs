namespace PredictiveCaching.Prediction;

/// <summary>
/// Shares a model the running instance accepted with the other instances, through the registered
/// <see cref="IModelStore"/> (Redis with <c>AddRedisCoordination()</c>; without a store, publishing reports
/// <see cref="ModelPublishStatus.Unavailable"/>). A training package calls it after swapping a model in.
/// </summary>
public interface IModelPublisher
{
    /// <summary>Publishes <paramref name="model"/>; never throws for a store fault (it is logged and reported as unavailable).</summary>
    /// <param name="model">The model.</param>
    /// <param name="cancellationToken">Stops waiting for the store.</param>
    /// <returns>How the publish ended.</returns>
    ValueTask<ModelPublishStatus> PublishAsync(TreeModel model, CancellationToken cancellationToken = default);
}
