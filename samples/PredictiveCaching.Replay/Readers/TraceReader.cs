namespace PredictiveCaching.Replay.Readers;

/// <summary>
/// Opens a trace as a stream of <see cref="TraceRequest"/>s in any of the supported formats. Every enumeration
/// re-opens the file, so each policy gets its own pass and memory stays constant in the trace's length.
/// </summary>
public static class TraceReader
{
    /// <summary>Reads <paramref name="path"/> lazily.</summary>
    /// <param name="path">The trace file (<c>.gz</c> is decompressed on the fly).</param>
    /// <param name="format">The format, or <see cref="TraceFormat.Auto"/> to detect it.</param>
    /// <returns>The requests, in file order.</returns>
    /// <param name="webLog">For web logs: filled with what the last pass kept and skipped.</param>
    public static IEnumerable<TraceRequest> Read(string path, TraceFormat format = TraceFormat.Auto, WebLogCounts? webLog = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (format == TraceFormat.Auto)
        {
            format = Detect(path);
        }

        return format switch
        {
            TraceFormat.CloudPhysics => CloudPhysicsCsvReader.Read(path),
            TraceFormat.OracleGeneral => OracleGeneralReader.Read(path),
            TraceFormat.MetaCdn => MetaCdnReader.Read(path),
            TraceFormat.MetaKv => MetaKvReader.Read(path),
            TraceFormat.Plain => PlainCsvReader.Read(path),
            TraceFormat.NasaTsv => NasaTsvReader.Read(path, webLog),
            TraceFormat.Clf => CommonLogReader.Read(path, webLog),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown trace format"),
        };
    }

    /// <summary>Detects the format from the file name (<c>.oracleGeneral.bin</c>), else from the first line (a header, or a CLF line).</summary>
    /// <param name="path">The trace file.</param>
    /// <returns>The detected format; <see cref="TraceFormat.Plain"/> when nothing else matches.</returns>
    public static TraceFormat Detect(string path)
    {
        string name = Path.GetFileName(path);
        if (name.Contains("oracleGeneral", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".bin", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".bin.gz", StringComparison.OrdinalIgnoreCase))
        {
            return TraceFormat.OracleGeneral;
        }

        using StreamReader reader = TraceFile.OpenText(path);
        string header = reader.ReadLine() ?? string.Empty;
        if (header.StartsWith(CloudPhysicsCsvReader.Header, StringComparison.Ordinal))
        {
            return TraceFormat.CloudPhysics;
        }

        if (header.StartsWith(MetaCdnReader.HeaderStart, StringComparison.Ordinal))
        {
            return TraceFormat.MetaCdn;
        }

        if (header.StartsWith(NasaTsvReader.HeaderStart, StringComparison.Ordinal))
        {
            return TraceFormat.NasaTsv;
        }

        if (CommonLogReader.LooksLikeCommonLog(header))
        {
            return TraceFormat.Clf;
        }

        return header.StartsWith("op_time,", StringComparison.Ordinal) || header.Contains(",op_count,", StringComparison.Ordinal)
            ? TraceFormat.MetaKv
            : TraceFormat.Plain;
    }
}
