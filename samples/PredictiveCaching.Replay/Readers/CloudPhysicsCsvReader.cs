namespace PredictiveCaching.Replay.Readers;

/// <summary>
/// CloudPhysics block I/O CSV (<c>version,time,op,size,lbn</c>). The logical block number is the key, prefixed with
/// <c>lbn:</c> so that the library can see consecutive blocks as a sequence. Op <c>28</c> (READ(10)) is a read,
/// <c>2a</c> (WRITE(10)) a write of that block; no TTL is given.
/// </summary>
internal static class CloudPhysicsCsvReader
{
    public const string Header = "version,time,op,size,lbn";

    public static IEnumerable<TraceRequest> Read(string path)
    {
        foreach (CsvRows.Row row in CsvRows.Read(path, 5, Header, "version"))
        {
            string line = row.Line;
            Range[] fields = row.Fields;
            ReadOnlySpan<char> op = line.AsSpan()[fields[2]];
            TraceOperation operation = op.Equals("2a", StringComparison.OrdinalIgnoreCase) ? TraceOperation.Write : TraceOperation.Read;
            yield return new TraceRequest(
                CsvFields.Int64(line, fields[1]),
                string.Concat("lbn:", line.AsSpan()[fields[4]]),
                CsvFields.Int64(line, fields[3]),
                0,
                operation);
        }
    }
}
