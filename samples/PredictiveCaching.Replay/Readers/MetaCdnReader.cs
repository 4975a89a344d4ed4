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
        const string expected = "timestamp,cacheKey,OpType,objectSize,responseSize,responseHeaderSize,rangeStart,rangeEnd,TTL,SamplingRate";
        foreach (CsvRows.Row row in CsvRows.Read(path, 9, expected, HeaderStart))
        {
            string line = row.Line;
            Range[] fields = row.Fields;
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
