namespace PredictiveCaching.Prediction;

/// <summary>How a <see cref="IModelStore.PublishAsync"/> ended.</summary>
public enum ModelPublishStatus
{
    /// <summary>The model is now the shared model.</summary>
    Published,

    /// <summary>The store already held a model of the same or a higher version; it was kept.</summary>
    Superseded,

    /// <summary>The store could not be reached, or there is no store to share through.</summary>
    Unavailable,
}
