using System.Text;

namespace PredictiveCaching.Replay.Reporting;

/// <summary>The comparison as CSV (invariant culture, raw numbers) for spreadsheets and scripts.</summary>
public static class CsvReport
{
    public const string Header = "trace,policy,requests,reads,hits,hit_ratio,misses,compulsory_misses,misses_avoided,oracle_share,prefetches,prefetches_used,prefetches_wasted,precision,yield,library_precision,extra_origin_loads,prefetch_loads,origin_loads,wasted_bytes,evictions,mean_latency_ms,p99_latency_ms,elapsed_s,requests_per_s";

    public static void Write(string path, string trace, IReadOnlyList<ComparisonRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var text = new StringBuilder().AppendLine(Header);
        foreach (ComparisonRow row in rows)
        {
            PolicyResult r = row.Result;
            text.AppendJoin(',',
                Format.Csv(trace), Format.Csv(r.Policy), r.Requests, r.Reads, r.Hits, Format.Number(r.HitRatio, "0.######"), r.Misses, r.CompulsoryMisses,
                row.MissesAvoided, Format.Number(row.OracleShare, "0.####"), r.Prefetches, r.PrefetchesUsed, r.PrefetchesWasted,
                Format.Number(r.Precision, "0.####"), Format.Number(row.Yield, "0.####"), Format.Number(r.LibraryPrecision ?? double.NaN, "0.####"), row.ExtraOriginLoads,
                r.PrefetchLoads, r.OriginLoads, r.WastedBytes, r.Evictions, Format.Number(r.MeanLatencyMs, "0.###"), Format.Number(r.P99LatencyMs, "0.###"),
                Format.Number(r.ElapsedSeconds, "0.###"), Format.Number(r.RequestsPerSecond, "0"));
            text.AppendLine();
        }

        File.WriteAllText(path, text.ToString());
    }
}
