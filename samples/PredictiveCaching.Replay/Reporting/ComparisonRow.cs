namespace PredictiveCaching.Replay.Reporting;

/// <summary>A policy's result next to the baseline (<c>none</c>) and the limit (<c>oracle</c>) of the same run.</summary>
public sealed record ComparisonRow(PolicyResult Result, long MissesAvoided, double OracleShare, long ExtraOriginLoads)
{
    /// <summary>Gets the ledger's precision (<see cref="PolicyResult.Precision"/>), counted alike for every policy.</summary>
    public double Precision => Result.Precision;

    /// <summary>
    /// Gets misses avoided per prefetched copy. A refresh of a copy that was still valid counts as used when it is read,
    /// but avoids nothing; precision cannot tell the two apart, yield can. It is negative when prefetching made misses.
    /// </summary>
    public double Yield => Result.Prefetches == 0 ? double.NaN : MissesAvoided / (double)Result.Prefetches;

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
            // Exactly the extra work the origin does: this policy's misses and prefetch loads beyond none's misses.
            long extra = none is null ? 0 : result.Misses + result.PrefetchLoads - none.Misses;
            rows.Add(new ComparisonRow(result, avoided, share, extra));
        }

        return rows;
    }
}
