using System.Globalization;

namespace PredictiveCaching.Replay.Reporting;

/// <summary>Invariant-culture number formatting shared by the table and the CSV.</summary>
internal static class Format
{
    public static string Ratio(double value) => double.IsNaN(value) ? "–" : value.ToString("0.0000", CultureInfo.InvariantCulture);

    public static string Percent(double value) => double.IsNaN(value) ? "–" : (value * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Signed(long value) => value.ToString("+#,0;-#,0;0", CultureInfo.InvariantCulture);

    public static string Bytes(long value) => value switch
    {
        >= 1L << 30 => (value / (double)(1L << 30)).ToString("0.0", CultureInfo.InvariantCulture) + " GiB",
        >= 1L << 20 => (value / (double)(1L << 20)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
        >= 1L << 10 => (value / (double)(1L << 10)).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        _ => value.ToString(CultureInfo.InvariantCulture) + " B",
    };

    /// <summary>A CSV field: quoted (quotes doubled) when it holds a comma, quote or line break.</summary>
    public static string Csv(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static string Number(double value, string format) => double.IsNaN(value) ? "" : value.ToString(format, CultureInfo.InvariantCulture);
}
