using System.Globalization;

namespace PredictiveCaching.Replay.Readers;

/// <summary>
/// The NASA Kennedy Space Center 1995 HTTP log in its TSV conversion: a header <c>host logname time method url response
/// bytes</c> (7 names; data rows carry two more, always empty, fields), <c>time</c> in Unix seconds. Only GET and HEAD
/// with a status below 400 are kept (see <see cref="WebLogCounts"/>); the key is <c>url</c> (<see cref="WebRequest.Key"/>),
/// the size <c>bytes</c> (0, as on every 304, means unknown). Rows that do not parse are skipped and counted.
/// </summary>
internal static class NasaTsvReader
{
    public const string HeaderStart = "host\tlogname\ttime\tmethod\turl";

    public static IEnumerable<TraceRequest> Read(string path, WebLogCounts? counts = null)
    {
        counts ??= new WebLogCounts();
        counts.Reset();
        using StreamReader reader = TraceFile.OpenText(path);
        Range[] fields = new Range[CsvFields.MaxFields];
        long lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0 || (lineNumber == 1 && line.StartsWith(HeaderStart, StringComparison.Ordinal)))
            {
                continue;
            }

            counts.OnLine();
            ReadOnlySpan<char> span = line;
            if (span.Split(fields, '\t') < 7
                || !long.TryParse(span[fields[2]], NumberStyles.None, CultureInfo.InvariantCulture, out long time)
                || !int.TryParse(span[fields[5]], NumberStyles.None, CultureInfo.InvariantCulture, out int status)
                || !TryBytes(span[fields[6]], out long bytes)
                || span[fields[4]].IsEmpty)
            {
                counts.OnMalformed(lineNumber);
                continue;
            }

            if (counts.Keep(span[fields[3]], status))
            {
                yield return WebRequest.Read(time, WebRequest.Key(span[fields[4]]), bytes);
            }
        }
    }

    internal static bool TryBytes(ReadOnlySpan<char> field, out long bytes)
    {
        if (field is "-")
        {
            bytes = 0;
            return true;
        }

        return long.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out bytes);
    }
}
