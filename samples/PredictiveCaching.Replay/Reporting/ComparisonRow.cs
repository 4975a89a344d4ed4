namespace PredictiveCaching.Replay.Reporting;

/// <summary>A policy's result next to the baseline (<c>none</c>) and the limit (<c>oracle</c>) of the same run.</summary>
public sealed record ComparisonRow(PolicyResult Result, long MissesAvoided, double OracleShare, long ExtraOriginLoads)
{
    /// <summary>Gets the precision reported: the library's own (settled outcomes) for library policies, else the ledger's.</summary>
    public double Precision => Result.LibraryPrecision ?? Result.Precision;

    public static IReadOnlyList<ComparisonRow> Compare(IReadOnlyList<PolicyResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        PolicyResult? none = results.FirstOrDefault(r => r.Policy == "none");
        PolicyResult? oracle = results.FirstOrDefault(r => r.Policy == "oracle");
        long oracleAvoided = none is not null && oracle is not null ? none.Misses - oracle.Misses : 0;
        var rows = new List<ComparisonRow>(results.Count);
        foreach (PolicyResult result in results)
        {
            long avoided = none is null ? 0 : none.Misses - result.Misses;
            double share = oracleAvoided > 0 ? avoided / (double)oracleAvoided : double.NaN;
            long extra = none is null ? 0 : result.OriginLoads - none.OriginLoads;
            rows.Add(new ComparisonRow(result, avoided, share, extra));
        }

        return rows;
    }
}
