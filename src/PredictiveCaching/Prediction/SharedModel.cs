namespace PredictiveCaching.Prediction;

/// <summary>A trained model as it travels through an <see cref="IModelStore"/>: its bytes, version and feature schema.</summary>
public sealed class SharedModel
{
    /// <summary>Initializes a new instance of the <see cref="SharedModel"/> class.</summary>
    /// <param name="version">The model's version (<see cref="TreeModelMetadata.Version"/>); at least 1.</param>
    /// <param name="schemaFingerprint">The fingerprint of the feature schema it was trained on (<see cref="TreeModel.SchemaFingerprint"/>).</param>
    /// <param name="data">The model in <see cref="TreeModelFormat"/>.</param>
    public SharedModel(long version, string schemaFingerprint, ReadOnlyMemory<byte> data)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(version);
        ArgumentNullException.ThrowIfNull(schemaFingerprint);
        if (data.IsEmpty)
        {
            throw new ArgumentException("A shared model has content.", nameof(data));
        }

        Version = version;
        SchemaFingerprint = schemaFingerprint;
        Data = data;
    }

    /// <summary>Gets the model's version; a higher one is newer.</summary>
    public long Version { get; }

    /// <summary>Gets the fingerprint of the feature schema the model was trained on.</summary>
    public string SchemaFingerprint { get; }

    /// <summary>Gets the model in <see cref="TreeModelFormat"/>.</summary>
    public ReadOnlyMemory<byte> Data { get; }
}
