namespace PredictiveCaching.Replay.Readers;

/// <summary>
/// Plain CSV <c>timestamp_seconds,key,value_size[,ttl_seconds][,op]</c>: the format the synthetic generator writes and
/// the simplest one to convert other traces into. A first row whose timestamp is not a number is a header. Op is
/// <c>read</c>/<c>get</c> (default), <c>write</c>/<c>set</c> or <c>delete</c>; an empty or 0 TTL means none.
/// </summary>
internal static class PlainCsvReader
{
    public const string Header = "timestamp_seconds,key,value_size,ttl_seconds,op";

    public static IEnumerable<TraceRequest> Read(string path)
    {
        using StreamReader reader = TraceFile.OpenText(path);
        Range[] fields = new Range[CsvFields.MaxFields];
        long lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            int count = CsvFields.Split(line, fields);
            if (count < 3)
            {
                throw CsvFields.Malformed(path, lineNumber, Header);
            }

            ReadOnlySpan<char> span = line;
            if (lineNumber == 1 && !double.TryParse(span[fields[0]], System.Globalization.CultureInfo.InvariantCulture, out _))
            {
                continue;
            }

            double ttl = count > 3 && !span[fields[3]].IsEmpty ? CsvFields.Double(line, fields[3]) : 0;
            TraceOperation operation = count > 4 ? ParseOperation(span[fields[4]]) : TraceOperation.Read;
            yield return new TraceRequest(
                CsvFields.Double(line, fields[0]),
                line[fields[1]],
                Math.Max(0, CsvFields.Int64(line, fields[2])),
                Math.Max(0, ttl),
                operation);
        }
    }

    internal static TraceOperation ParseOperation(ReadOnlySpan<char> op)
    {
        if (op.IsEmpty || op.StartsWith("r", StringComparison.OrdinalIgnoreCase) || op.StartsWith("g", StringComparison.OrdinalIgnoreCase))
        {
            return TraceOperation.Read;
        }

        if (op.StartsWith("w", StringComparison.OrdinalIgnoreCase) || op.StartsWith("s", StringComparison.OrdinalIgnoreCase))
        {
            return TraceOperation.Write;
        }

        return op.StartsWith("d", StringComparison.OrdinalIgnoreCase)
            ? TraceOperation.Delete
            : throw new FormatException($"unknown op '{op}' (expected read, write or delete)");
    }
}
