namespace PredictiveCaching.Replay.Readers;

/// <summary>
/// The loop every CSV trace reader shares: stream the (possibly gzipped) file line by line, skip blank and <c>#</c>
/// lines and a header, split each row into field ranges (one buffer, reused) and reject rows with too few fields.
/// </summary>
internal static class CsvRows
{
    /// <summary>One data row; <see cref="Fields"/> is reused for the next row, so read it before moving on.</summary>
    public readonly record struct Row(string Line, Range[] Fields, int Count, long LineNumber);

    /// <param name="path">The trace file.</param>
    /// <param name="minimumFields">Fewer fields than this make the row malformed.</param>
    /// <param name="expected">The expected columns, for the error message.</param>
    /// <param name="headerPrefix">A first line starting with this is a header; <see langword="null"/> when the reader tells itself.</param>
    public static IEnumerable<Row> Read(string path, int minimumFields, string expected, string? headerPrefix)
    {
        using StreamReader reader = TraceFile.OpenText(path);
        Range[] fields = new Range[CsvFields.MaxFields];
        long lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0 || line[0] == '#'
                || (lineNumber == 1 && headerPrefix is not null && line.StartsWith(headerPrefix, StringComparison.Ordinal)))
            {
                continue;
            }

            int count = CsvFields.Split(line, fields);
            if (count < minimumFields)
            {
                throw CsvFields.Malformed(path, lineNumber, expected);
            }

            yield return new Row(line, fields, count, lineNumber);
        }
    }
}
