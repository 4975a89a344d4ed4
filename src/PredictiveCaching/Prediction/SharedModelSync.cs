using System.Globalization;
using Microsoft.Extensions.Logging;
using PredictiveCaching.Diagnostics;
using PredictiveCaching.Features;

namespace PredictiveCaching.Prediction;

/// <summary>
/// Moves models between the <see cref="ActivePredictor"/> and the <see cref="IModelStore"/>: publishes an accepted model,
/// and adopts a newer shared one (at start, and at the beginning of every prefetch cycle) after checking that it was
/// trained on the running feature schema. Never throws: a store fault or a bad model leaves the current predictor in use.
/// </summary>
internal sealed class SharedModelSync(IModelStore store, ActivePredictor active, FeatureSchema schema, ILogger<SharedModelSync> logger) : IModelPublisher
{
    private long _refusedVersion;
    private int _refreshing;

    /// <summary>Gets the version of the model in use; 0 for a predictor that is not a trained model.</summary>
    public long CurrentVersion => active.Current is TreeModel model ? model.Metadata.Version : 0;

    /// <summary>Adopts the shared model when it is newer than the one in use and fits the running schema.</summary>
    /// <returns><see langword="true"/> when a shared model was swapped in.</returns>
    public async ValueTask<bool> RefreshAsync(CancellationToken cancellationToken = default)
    {
        // The start-up hook and the cycle never need to look twice at once.
        if (Interlocked.Exchange(ref _refreshing, 1) != 0)
        {
            return false;
        }

        try
        {
            // A refused version is not fetched again; only a newer one is.
            long known = Math.Max(CurrentVersion, Interlocked.Read(ref _refusedVersion));
            SharedModel? shared = await store.TryGetNewerAsync(known, cancellationToken).ConfigureAwait(false);
            return shared is not null && shared.Version > known && Adopt(shared);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.SharedModelCheckFailed(logger, exception);
            return false;
        }
        finally
        {
            Volatile.Write(ref _refreshing, 0);
        }
    }

    /// <summary>Publishes a model the running instance accepted.</summary>
    /// <param name="model">The model.</param>
    /// <param name="cancellationToken">Stops waiting for the store.</param>
    /// <returns>How the publish ended; <see cref="ModelPublishStatus.Unavailable"/> when it failed.</returns>
    public async ValueTask<ModelPublishStatus> PublishAsync(TreeModel model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        try
        {
            using var buffer = new MemoryStream();
            TreeModelFormat.Save(model, buffer);
            var shared = new SharedModel(model.Metadata.Version, model.SchemaFingerprint, buffer.ToArray());
            ModelPublishStatus status = await store.PublishAsync(shared, cancellationToken).ConfigureAwait(false);
            switch (status)
            {
                case ModelPublishStatus.Published:
                    Log.SharedModelPublished(logger, shared.Version, shared.Data.Length);
                    break;
                case ModelPublishStatus.Superseded:
                    Log.SharedModelSuperseded(logger, shared.Version);
                    break;
                default:
                    break;
            }

            return status;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.SharedModelPublishFailed(logger, model.Metadata.Version, exception);
            return ModelPublishStatus.Unavailable;
        }
    }

    private bool Adopt(SharedModel shared)
    {
        if (!string.Equals(shared.SchemaFingerprint, schema.Fingerprint, StringComparison.Ordinal))
        {
            return Refuse(shared.Version, string.Create(
                CultureInfo.InvariantCulture,
                $"it was trained on a different feature schema (fingerprint {shared.SchemaFingerprint}) than the running extractors ({schema.Count} features, fingerprint {schema.Fingerprint})"));
        }

        TreeModel model;
        try
        {
            using var stream = new MemoryStream(shared.Data.ToArray(), writable: false);
            model = TreeModelFormat.Load(stream);
        }
        catch (InvalidDataException exception)
        {
            return Refuse(shared.Version, exception.Message);
        }

        if (!schema.Matches(model.FeatureNames))
        {
            return Refuse(shared.Version, string.Create(
                CultureInfo.InvariantCulture,
                $"its feature names ({model.FeatureNames.Count}, fingerprint {model.SchemaFingerprint}) differ from the running extractors ({schema.Count}, fingerprint {schema.Fingerprint})"));
        }

        // A local training may have swapped in a model as new while the shared one was on its way.
        IAccessPredictor previous = active.Current;
        if (previous is TreeModel local && local.Metadata.Version >= model.Metadata.Version)
        {
            return false;
        }

        active.Use(model);
        Log.SharedModelAdopted(logger, model.Metadata.Version, previous.Kind, model.Metadata.SampleCount, model.Metadata.HoldoutLogLoss);
        return true;
    }

    private bool Refuse(long version, string reason)
    {
        Interlocked.Exchange(ref _refusedVersion, version);
        Log.SharedModelRefused(logger, version, active.Current.Kind, reason);
        return false;
    }
}
