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
        foreach (CsvRows.Row row in CsvRows.Read(path, 3, Header, headerPrefix: null))
        {
            ReadOnlySpan<char> span = row.Line;
            Range[] fields = row.Fields;
            if (row.LineNumber == 1 && !double.TryParse(span[fields[0]], System.Globalization.CultureInfo.InvariantCulture, out _))
            {
                continue;
            }

            double ttl = row.Count > 3 && !span[fields[3]].IsEmpty ? CsvFields.Double(span, fields[3]) : 0;
            TraceOperation operation = row.Count > 4 ? ParseOperation(span[fields[4]]) : TraceOperation.Read;
            yield return new TraceRequest(
                CsvFields.Double(span, fields[0]),
                row.Line[fields[1]],
                Math.Max(0, CsvFields.Int64(span, fields[2])),
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
