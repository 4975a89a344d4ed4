namespace PredictiveCaching.Testing;

/// <summary>
/// The instruments docs/operations.md lists for a meter: each meter has a table after a line starting
/// <c>Meter `name`</c>, one instrument a row, its name backticked in the first column. The packages' tests compare it
/// with what the meter publishes.
/// </summary>
public static class TelemetryReference
{
    /// <summary>Returns the documented instrument names of <paramref name="meter"/>, sorted ordinally.</summary>
    /// <param name="meter">The meter's name.</param>
    /// <returns>The names.</returns>
    public static string[] InstrumentsOf(string meter)
    {
        string[] lines = File.ReadAllLines(RepositoryFiles.PathOf(Path.Combine("docs", "operations.md")));
        int start = Array.FindIndex(lines, l => l.StartsWith($"Meter `{meter}`", StringComparison.Ordinal));
        if (start < 0)
        {
            throw new InvalidOperationException($"docs/operations.md has no table for meter {meter}");
        }

        var names = new List<string>();
        for (int i = start + 1; i < lines.Length; i++)
        {
            string line = lines[i];
            if (names.Count > 0 && !line.StartsWith('|'))
            {
                break;
            }

            if (line.StartsWith("| `", StringComparison.Ordinal))
            {
                names.Add(line[3..line.IndexOf('`', 3)]);
            }
        }

        names.Sort(StringComparer.Ordinal);
        return [.. names];
    }
}
