namespace PredictiveCaching.Prediction;

/// <summary>
/// Where trained models are shared between application instances: the instance that trains publishes its accepted model,
/// the others take a newer one on their next prefetch cycle, and a new instance starts with the newest. The default stores
/// nothing (a single instance); <c>UseRedisCoordination()</c> shares models through Redis.
/// </summary>
/// <remarks>
/// Implementations never throw for an unreachable store: a publish reports <see cref="ModelPublishStatus.Unavailable"/> and a
/// look-up returns <see langword="null"/>. Versions only rise: a store keeps a published model only when its version is
/// higher than the one it holds, atomically, so a slow or stale instance never replaces a newer model.
/// </remarks>
public interface IModelStore
{
    /// <summary>Publishes a model, unless the store already holds one of the same or a higher version.</summary>
    /// <param name="model">The serialized model (<see cref="TreeModelFormat"/>) with its version and schema fingerprint.</param>
    /// <param name="cancellationToken">Stops waiting for the store.</param>
    /// <returns>Whether the model was stored, refused as not newer, or the store could not be reached.</returns>
    ValueTask<ModelPublishStatus> PublishAsync(SharedModel model, CancellationToken cancellationToken = default);

    /// <summary>Returns the shared model when its version is higher than <paramref name="currentVersion"/>; otherwise <see langword="null"/>.</summary>
    /// <param name="currentVersion">The version of the model in use (0 for none).</param>
    /// <param name="cancellationToken">Stops waiting for the store.</param>
    /// <returns>The newer model, or <see langword="null"/> when there is none or the store cannot be reached.</returns>
    ValueTask<SharedModel?> TryGetNewerAsync(long currentVersion, CancellationToken cancellationToken = default);
}
