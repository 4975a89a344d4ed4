namespace PredictiveCaching.Replay.Readers;

/// <summary>
/// Meta CDN (CacheLib bigcache) CSV. The key is <c>cacheKey</c> (a whole object, ranges folded together), the size
/// <c>objectSize</c> (falling back to <c>responseSize</c> when it is -1), the TTL the <c>TTL</c> column (-1: none).
/// Every row of the published sample is a GET.
/// </summary>
internal static class MetaCdnReader
{
    public const string HeaderStart = "timestamp,cacheKey,";

    public static IEnumerable<TraceRequest> Read(string path)
    {
        using StreamReader reader = TraceFile.OpenText(path);
        Range[] fields = new Range[CsvFields.MaxFields];
        long lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (lineNumber == 1 && line.StartsWith(HeaderStart, StringComparison.Ordinal))
            {
                continue;
            }

            if (CsvFields.Split(line, fields) < 9)
            {
                throw CsvFields.Malformed(path, lineNumber, "timestamp,cacheKey,OpType,objectSize,responseSize,responseHeaderSize,rangeStart,rangeEnd,TTL,SamplingRate");
            }

            long size = CsvFields.Int64(line, fields[3]);
            if (size < 0)
            {
                size = Math.Max(0, CsvFields.Int64(line, fields[4]));
            }

            long ttl = CsvFields.Int64(line, fields[8]);
            yield return new TraceRequest(
                CsvFields.Int64(line, fields[0]),
                line[fields[1]],
                size,
                ttl > 0 ? ttl : 0,
                TraceOperation.Read);
        }
    }
}
