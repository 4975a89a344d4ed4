using System.Text;

namespace PredictiveCaching.Replay.Reporting;

/// <summary>The comparison as a GitHub markdown table, one row per policy.</summary>
public static class MarkdownTable
{
    public static string Render(IReadOnlyList<ComparisonRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var text = new StringBuilder();
        text.AppendLine("| policy | reads | hit ratio | misses | compulsory | avoided vs none | share of oracle | prefetches | precision | yield | library precision | extra origin loads | wasted bytes | mean ms |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (ComparisonRow row in rows)
        {
            PolicyResult r = row.Result;
            text.Append("| ").Append(r.Policy)
                .Append(" | ").Append(Format.Count(r.Reads))
                .Append(" | ").Append(Format.Percent(r.HitRatio))
                .Append(" | ").Append(Format.Count(r.Misses))
                .Append(" | ").Append(Format.Count(r.CompulsoryMisses))
                .Append(" | ").Append(Format.Signed(row.MissesAvoided))
                .Append(" | ").Append(Format.Percent(row.OracleShare))
                .Append(" | ").Append(Format.Count(r.Prefetches))
                .Append(" | ").Append(Format.Percent(row.Precision))
                .Append(" | ").Append(Format.Number(row.Yield, "0.00"))
                .Append(" | ").Append(r.LibraryPrecision is { } library ? Format.Percent(library) : "")
                .Append(" | ").Append(Format.Signed(row.ExtraOriginLoads))
                .Append(" | ").Append(Format.Bytes(r.WastedBytes))
                .Append(" | ").Append(Format.Number(r.MeanLatencyMs, "0.0"))
                .AppendLine(" |");
        }

        return text.ToString();
    }
}
