using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using PredictiveCaching.Features;

namespace PredictiveCaching.Prediction;

/// <summary>
/// Saves and loads a <see cref="TreeModel"/> in PredictiveCaching's own versioned binary format, readable without ML.NET.
/// </summary>
/// <remarks>
/// <para>Layout (little-endian; strings are length-prefixed UTF-8 as written by <see cref="BinaryWriter"/>):</para>
/// <list type="number">
/// <item>magic <c>PCTM</c> (4 bytes), format version (uint16, currently 1);</item>
/// <item>schema: fingerprint, feature count, feature names;</item>
/// <item>metadata: model version, trained-at ticks, samples, positives, held-out log-loss, AUC, size RMSE, lookahead ticks,
/// dropped features (name, importance, threshold);</item>
/// <item>calibration: slope, offset (doubles);</item>
/// <item>classifier ensemble, a flag, and the size ensemble when the flag is 1. An ensemble is: feature count, bias, tree,
/// node and leaf counts, then roots, split features, thresholds, left and right children, leaf values;</item>
/// <item>SHA-256 of everything before it (32 bytes), so that a corrupt or truncated file is refused rather than misread.</item>
/// </list>
/// </remarks>
public static class TreeModelFormat
{
    /// <summary>The format version this library writes and reads.</summary>
    public const ushort CurrentVersion = 1;

    /// <summary>The largest model file read, in bytes; a longer stream is refused.</summary>
    public const int MaxLength = 256 * 1024 * 1024;

    private const int HashLength = 32;
    private static readonly byte[] s_magic = "PCTM"u8.ToArray();

    /// <summary>Writes a model to a stream.</summary>
    /// <param name="model">The model.</param>
    /// <param name="destination">The stream to write to; left open.</param>
    public static void Save(TreeModel model, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(destination);
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(s_magic);
            writer.Write(CurrentVersion);
            writer.Write(model.SchemaFingerprint);
            writer.Write(model.FeatureNames.Count);
            foreach (string name in model.FeatureNames)
            {
                writer.Write(name);
            }

            TreeModelMetadata m = model.Metadata;
            writer.Write(m.Version);
            writer.Write(m.TrainedAtTicks);
            writer.Write(m.SampleCount);
            writer.Write(m.PositiveCount);
            writer.Write(m.HoldoutLogLoss);
            writer.Write(m.HoldoutAuc);
            writer.Write(m.HoldoutSizeRmse);
            writer.Write(m.Lookahead.Ticks);
            writer.Write(m.DroppedFeatures.Count);
            foreach (DroppedFeature dropped in m.DroppedFeatures)
            {
                writer.Write(dropped.Name);
                writer.Write(dropped.Importance);
                writer.Write(dropped.Threshold);
            }

            writer.Write(model.Calibration.Slope);
            writer.Write(model.Calibration.Offset);
            WriteEnsemble(writer, model.Classifier);
            writer.Write(model.SizeRegressor is null ? (byte)0 : (byte)1);
            if (model.SizeRegressor is not null)
            {
                WriteEnsemble(writer, model.SizeRegressor);
            }
        }

        byte[] hash = SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        buffer.Write(hash);
        buffer.Position = 0;
        buffer.CopyTo(destination);
    }

    /// <summary>Writes a model to a file, atomically: a temporary file beside it is written, then moved over it.</summary>
    /// <param name="model">The model.</param>
    /// <param name="path">The file path.</param>
    public static void Save(TreeModel model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        string? directory = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        string temporary = full + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            Save(model, stream);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, full, overwrite: true);
    }

    /// <summary>Reads a model from a stream.</summary>
    /// <param name="source">The stream to read to its end; left open.</param>
    /// <returns>The model.</returns>
    /// <exception cref="InvalidDataException">The stream is not a model of this format, or it is corrupt or truncated.</exception>
    public static TreeModel Load(Stream source)
    {
        ArgumentNullException.ThrowIfNull(source);
        byte[] bytes = ReadAll(source);
        if (bytes.Length < s_magic.Length + sizeof(ushort) + HashLength || !bytes.AsSpan(0, s_magic.Length).SequenceEqual(s_magic))
        {
            throw new InvalidDataException("Not a PredictiveCaching model: the file does not start with the PCTM header (or is too short to hold one).");
        }

        ushort version = BitConverter.ToUInt16(bytes, s_magic.Length);
        if (version != CurrentVersion)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"The model file has format version {version}; this library reads version {CurrentVersion}."));
        }

        int payload = bytes.Length - HashLength;
        if (!SHA256.HashData(bytes.AsSpan(0, payload)).AsSpan().SequenceEqual(bytes.AsSpan(payload)))
        {
            throw new InvalidDataException("The model file is corrupt or truncated: its SHA-256 checksum does not match its content.");
        }

        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes, s_magic.Length + sizeof(ushort), payload - s_magic.Length - sizeof(ushort)), Encoding.UTF8);
            string fingerprint = reader.ReadString();
            int featureCount = ReadCount(reader, 4);
            string[] names = new string[featureCount];
            for (int i = 0; i < names.Length; i++)
            {
                names[i] = reader.ReadString();
            }

            if (!string.Equals(fingerprint, FeatureSchema.ComputeFingerprint(names), StringComparison.Ordinal))
            {
                throw new InvalidDataException("The model file's schema fingerprint does not match its feature names.");
            }

            int modelVersion = reader.ReadInt32();
            long trainedAt = reader.ReadInt64();
            int samples = reader.ReadInt32();
            int positives = reader.ReadInt32();
            double logLoss = reader.ReadDouble();
            double auc = reader.ReadDouble();
            double sizeRmse = reader.ReadDouble();
            long lookahead = reader.ReadInt64();
            int droppedCount = ReadCount(reader, 17);
            var dropped = new DroppedFeature[droppedCount];
            for (int i = 0; i < dropped.Length; i++)
            {
                dropped[i] = new DroppedFeature(reader.ReadString(), reader.ReadDouble(), reader.ReadDouble());
            }

            var calibration = new PlattCalibration(reader.ReadDouble(), reader.ReadDouble());
            CompiledTreeEnsemble classifier = ReadEnsemble(reader);
            CompiledTreeEnsemble? size = reader.ReadByte() switch
            {
                0 => null,
                1 => ReadEnsemble(reader),
                _ => throw new InvalidDataException("The model file's size-model flag is neither 0 nor 1."),
            };

            if (reader.BaseStream.Position != reader.BaseStream.Length)
            {
                throw new InvalidDataException("The model file has unexpected bytes after the model.");
            }

            var metadata = new TreeModelMetadata
            {
                Version = modelVersion,
                TrainedAtTicks = trainedAt,
                SampleCount = samples,
                PositiveCount = positives,
                HoldoutLogLoss = logLoss,
                HoldoutAuc = auc,
                HoldoutSizeRmse = sizeRmse,
                Lookahead = TimeSpan.FromTicks(lookahead),
                DroppedFeatures = dropped,
            };
            return new TreeModel(names, classifier, calibration, size, metadata);
        }
        catch (Exception ex) when (ex is EndOfStreamException or ArgumentException or IOException)
        {
            throw new InvalidDataException("The model file is malformed: " + ex.Message, ex);
        }
    }

    /// <summary>Reads a model from a file.</summary>
    /// <param name="path">The file path.</param>
    /// <returns>The model.</returns>
    /// <exception cref="InvalidDataException">The file is not a model of this format, or it is corrupt or truncated.</exception>
    public static TreeModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Load(stream);
    }

    /// <summary>
    /// Loads a model from a file for a running schema, refusing one that is missing, unreadable, corrupt, truncated or
    /// trained on different features.
    /// </summary>
    /// <param name="path">The file path.</param>
    /// <param name="schema">The feature schema of the running extractors.</param>
    /// <param name="model">The model, when it can be used.</param>
    /// <param name="reason">Why the model was refused, when it was.</param>
    /// <returns><see langword="true"/> when the model can be used.</returns>
    public static bool TryLoad(string path, FeatureSchema schema, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TreeModel? model, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(schema);
        model = null;
        TreeModel loaded;
        try
        {
            loaded = Load(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            reason = "there is no model file at " + path;
            return false;
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            reason = ex.Message;
            return false;
        }

        if (!schema.Matches(loaded.FeatureNames))
        {
            reason = string.Create(
                CultureInfo.InvariantCulture,
                $"it was trained on a different feature schema ({loaded.FeatureNames.Count} features, fingerprint {loaded.SchemaFingerprint}) than the running extractors ({schema.Count} features, fingerprint {schema.Fingerprint}){DescribeDifference(loaded.FeatureNames, schema.Names)}");
            return false;
        }

        model = loaded;
        reason = null;
        return true;
    }

    private static string DescribeDifference(IReadOnlyList<string> model, IReadOnlyList<string> running)
    {
        int count = Math.Min(model.Count, running.Count);
        for (int i = 0; i < count; i++)
        {
            if (!string.Equals(model[i], running[i], StringComparison.Ordinal))
            {
                return string.Create(CultureInfo.InvariantCulture, $"; first difference at position {i}: model '{model[i]}', running '{running[i]}'");
            }
        }

        return model.Count == running.Count ? string.Empty : "; one is a prefix of the other";
    }

    private static byte[] ReadAll(Stream source)
    {
        using var copy = new MemoryStream();
        byte[] chunk = new byte[81920];
        int read;
        while ((read = source.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (copy.Length + read > MaxLength)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"The model file is larger than {MaxLength} bytes."));
            }

            copy.Write(chunk, 0, read);
        }

        return copy.ToArray();
    }

    // A count is checked against the bytes left, so a corrupt count cannot make the reader allocate gigabytes.
    private static int ReadCount(BinaryReader reader, int minimumBytesEach)
    {
        int count = reader.ReadInt32();
        long left = reader.BaseStream.Length - reader.BaseStream.Position;
        if (count < 0 || (long)count * minimumBytesEach > left)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"The model file declares {count} items where only {left} bytes are left."));
        }

        return count;
    }

    private static void WriteEnsemble(BinaryWriter writer, CompiledTreeEnsemble ensemble)
    {
        writer.Write(ensemble.FeatureCount);
        writer.Write(ensemble.Bias);
        writer.Write(ensemble.TreeCount);
        writer.Write(ensemble.NodeCount);
        writer.Write(ensemble.LeafCount);
        foreach (int v in ensemble.Roots)
        {
            writer.Write(v);
        }

        foreach (int v in ensemble.SplitFeatures)
        {
            writer.Write(v);
        }

        foreach (float v in ensemble.Thresholds)
        {
            writer.Write(v);
        }

        foreach (int v in ensemble.LeftChildren)
        {
            writer.Write(v);
        }

        foreach (int v in ensemble.RightChildren)
        {
            writer.Write(v);
        }

        foreach (double v in ensemble.LeafValues)
        {
            writer.Write(v);
        }
    }

    private static CompiledTreeEnsemble ReadEnsemble(BinaryReader reader)
    {
        int featureCount = reader.ReadInt32();
        double bias = reader.ReadDouble();
        int trees = ReadCount(reader, 0);
        int nodes = ReadCount(reader, 0);
        int leaves = ReadCount(reader, 0);
        long left = reader.BaseStream.Length - reader.BaseStream.Position;
        if ((4L * trees) + (16L * nodes) + (8L * leaves) > left)
        {
            throw new InvalidDataException("The model file is truncated inside a tree ensemble.");
        }

        int[] roots = ReadInts(reader, trees);
        int[] features = ReadInts(reader, nodes);
        float[] thresholds = new float[nodes];
        for (int i = 0; i < nodes; i++)
        {
            thresholds[i] = reader.ReadSingle();
        }

        int[] leftChildren = ReadInts(reader, nodes);
        int[] rightChildren = ReadInts(reader, nodes);
        double[] values = new double[leaves];
        for (int i = 0; i < leaves; i++)
        {
            values[i] = reader.ReadDouble();
        }

        return new CompiledTreeEnsemble(featureCount, bias, roots, features, thresholds, leftChildren, rightChildren, values);
    }

    private static int[] ReadInts(BinaryReader reader, int count)
    {
        int[] values = new int[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = reader.ReadInt32();
        }

        return values;
    }
}
