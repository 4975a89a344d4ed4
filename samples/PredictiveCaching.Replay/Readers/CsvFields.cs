using System.Globalization;

namespace PredictiveCaching.Replay.Readers;

/// <summary>Splits a CSV line (no quoting: none of the trace formats quote) into field ranges without allocating.</summary>
internal static class CsvFields
{
    public const int MaxFields = 32;

    public static int Split(ReadOnlySpan<char> line, Span<Range> fields) => line.Split(fields, ',');

    public static long Int64(ReadOnlySpan<char> line, Range field) =>
        long.Parse(line[field], NumberStyles.Integer, CultureInfo.InvariantCulture);

    public static double Double(ReadOnlySpan<char> line, Range field) =>
        double.Parse(line[field], NumberStyles.Float, CultureInfo.InvariantCulture);

    public static FormatException Malformed(string path, long lineNumber, string expected) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{path}:{lineNumber}: malformed row, expected {expected}"));
}
