using System.Globalization;
using PredictiveCaching.Prediction;

namespace PredictiveCaching.Features;

/// <summary>Fills a feature vector in <see cref="FeatureSchema"/> order by running every extractor on its slice.</summary>
public sealed class FeatureVectorBuilder
{
    private readonly IFeatureExtractor[] _extractors;
    private readonly int[] _offsets;
    private readonly int[] _lengths;
    private readonly int _count;

    internal FeatureVectorBuilder(FeatureSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        Schema = schema;
        _extractors = schema.Extractors;
        _offsets = schema.Offsets;
        _lengths = schema.Lengths;
        _count = schema.Count;
    }

    /// <summary>Gets the schema the vectors follow.</summary>
    public FeatureSchema Schema { get; }

    /// <summary>Writes every feature of one candidate. Does not allocate.</summary>
    /// <param name="context">The candidate and the moment it is scored.</param>
    /// <param name="destination">Exactly <see cref="FeatureSchema.Count"/> values.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not <see cref="FeatureSchema.Count"/> long.</exception>
    public void Fill(in PredictionContext context, Span<float> destination)
    {
        if (destination.Length != _count)
        {
            ThrowLengthMismatch(destination.Length, _count, nameof(destination));
        }

        for (int i = 0; i < _extractors.Length; i++)
        {
            _extractors[i].Extract(in context, destination.Slice(_offsets[i], _lengths[i]));
        }
    }

    private static void ThrowLengthMismatch(int length, int count, string paramName) =>
        throw new ArgumentException(
            string.Create(CultureInfo.InvariantCulture, $"The destination holds {length} values but the feature schema has {count} features."),
            paramName);
}
