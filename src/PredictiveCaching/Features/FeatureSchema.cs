using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PredictiveCaching.Features;

/// <summary>
/// The ordered names of every feature the registered <see cref="IFeatureExtractor"/>s write, in registration order
/// (the built-in extractors first). Fixed at start; a trained model stores <see cref="Fingerprint"/> (or the names)
/// and is refused when they no longer match.
/// </summary>
public sealed class FeatureSchema
{
    private readonly string[] _names;
    private readonly Dictionary<string, int> _indexes;

    internal FeatureSchema(IEnumerable<IFeatureExtractor> extractors)
    {
        ArgumentNullException.ThrowIfNull(extractors);
        Extractors = [.. extractors];
        Offsets = new int[Extractors.Length];
        Lengths = new int[Extractors.Length];
        var names = new List<string>();
        var owners = new Dictionary<string, IFeatureExtractor>(StringComparer.Ordinal);
        _indexes = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int e = 0; e < Extractors.Length; e++)
        {
            IFeatureExtractor extractor = Extractors[e];
            IReadOnlyList<string> declared = extractor.FeatureNames
                ?? throw new InvalidOperationException(extractor.GetType().FullName + ".FeatureNames returned null.");
            Offsets[e] = names.Count;
            Lengths[e] = declared.Count;
            for (int i = 0; i < declared.Count; i++)
            {
                string name = declared[i];
                if (string.IsNullOrWhiteSpace(name))
                {
                    throw new InvalidOperationException(string.Create(
                        CultureInfo.InvariantCulture,
                        $"Feature extractor {extractor.GetType().FullName} declares an empty feature name at position {i}."));
                }

                if (!owners.TryAdd(name, extractor))
                {
                    throw new InvalidOperationException(
                        "The feature name '" + name + "' is declared by both " + owners[name].GetType().FullName + " and " +
                        extractor.GetType().FullName + "; feature names must be unique across extractors. Rename one of them.");
                }

                _indexes.Add(name, names.Count);
                names.Add(name);
            }
        }

        _names = [.. names];
        Names = Array.AsReadOnly(_names);
        Fingerprint = ComputeFingerprint(_names);
    }

    /// <summary>Gets the feature names, in the order they appear in a feature vector.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Gets the number of features: the length of a feature vector.</summary>
    public int Count => _names.Length;

    /// <summary>Gets a stable fingerprint of <see cref="Names"/>: the lower-case hex SHA-256 of the names joined by line feeds.</summary>
    public string Fingerprint { get; }

    internal IFeatureExtractor[] Extractors { get; }

    internal int[] Offsets { get; }

    internal int[] Lengths { get; }

    /// <summary>Computes the fingerprint that a schema with these names would have.</summary>
    /// <param name="names">Feature names, in order.</param>
    /// <returns>The lower-case hex SHA-256 of the names joined by line feeds.</returns>
    public static string ComputeFingerprint(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var joined = new StringBuilder();
        for (int i = 0; i < names.Count; i++)
        {
            if (i > 0)
            {
                joined.Append('\n');
            }

            joined.Append(names[i]);
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(joined.ToString())));
    }

    /// <summary>Returns the position of a feature in the vector.</summary>
    /// <param name="name">The feature name.</param>
    /// <returns>Its index, or -1 when the schema has no such feature.</returns>
    public int IndexOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _indexes.TryGetValue(name, out int index) ? index : -1;
    }

    /// <summary>Returns whether <paramref name="names"/> are exactly this schema's names, in the same order.</summary>
    /// <param name="names">Names stored with a model.</param>
    /// <returns><see langword="true"/> when they match.</returns>
    public bool Matches(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count != _names.Length)
        {
            return false;
        }

        for (int i = 0; i < _names.Length; i++)
        {
            if (!string.Equals(names[i], _names[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
