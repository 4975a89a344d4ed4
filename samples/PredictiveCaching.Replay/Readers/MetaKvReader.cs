namespace PredictiveCaching.Replay.Readers;

/// <summary>
/// Meta key-value cache CSV (the <c>kvcache/202401</c> family). Column order differs between files, so columns are
/// located by header name. A row stands for <c>op_count</c> identical ops in that second and is expanded into as many
/// requests. GET and GET_LEASE read, SET and SET_LEASE write, DELETE removes; <c>ttl</c> 0 means none.
/// </summary>
internal static class MetaKvReader
{
    public static IEnumerable<TraceRequest> Read(string path)
    {
        using StreamReader reader = TraceFile.OpenText(path);
        string header = reader.ReadLine() ?? throw new FormatException($"{path}: empty file, expected a header row");
        string[] names = header.Split(',');
        int time = Required(names, "op_time", path);
        int key = Required(names, "key", path);
        int op = Required(names, "op", path);
        int count = Array.IndexOf(names, "op_count");
        int size = Required(names, "size", path);
        int ttl = Array.IndexOf(names, "ttl");
        int minimum = Math.Max(Math.Max(time, key), Math.Max(Math.Max(op, count), Math.Max(size, ttl))) + 1;
        Range[] fields = new Range[CsvFields.MaxFields];
        long lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            if (CsvFields.Split(line, fields) < minimum)
            {
                throw CsvFields.Malformed(path, lineNumber, header);
            }

            TraceOperation operation = ParseOperation(line.AsSpan()[fields[op]]);
            long repeat = count >= 0 ? Math.Max(1, CsvFields.Int64(line, fields[count])) : 1;
            var request = new TraceRequest(
                CsvFields.Double(line, fields[time]),
                line[fields[key]],
                Math.Max(0, CsvFields.Int64(line, fields[size])),
                ttl >= 0 ? Math.Max(0, CsvFields.Double(line, fields[ttl])) : 0,
                operation);
            for (long i = 0; i < repeat; i++)
            {
                yield return request;
            }
        }
    }

    internal static TraceOperation ParseOperation(ReadOnlySpan<char> op)
    {
        if (op.StartsWith("SET", StringComparison.OrdinalIgnoreCase))
        {
            return TraceOperation.Write;
        }

        return op.StartsWith("DEL", StringComparison.OrdinalIgnoreCase) ? TraceOperation.Delete : TraceOperation.Read;
    }

    private static int Required(string[] names, string name, string path)
    {
        int index = Array.IndexOf(names, name);
        return index >= 0 ? index : throw new FormatException($"{path}: the header has no '{name}' column");
    }
}
