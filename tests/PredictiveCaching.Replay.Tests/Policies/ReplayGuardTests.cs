using PredictiveCaching.Replay.Readers;
using PredictiveCaching.Replay.Reporting;

namespace PredictiveCaching.Replay.Tests.Policies;

/// <summary>
/// The CI guard: the library must keep paying for itself on real traces, at the figures docs/evaluation.md reports
/// less a named margin. The replays are deterministic (the same figures run to run and beside other policies), so a
/// guard that fails means the loop changed, not the machine. Extra origin loads = misses + prefetch loads − none's
/// misses; precision is the library's own (used / (used + wasted), settled outcomes).
/// </summary>
public class ReplayGuardTests
{
    /// <summary>Share of a measured "misses avoided" figure the guard still accepts.</summary>
    private const double AvoidedMargin = 0.9;

    /// <summary>Points of precision under the measured figure the guard still accepts.</summary>
    private const double PrecisionMargin = 0.05;

    /// <summary>
    /// The bundled Meta CDN sample (Apache-2.0) with a 60 s TTL in place of the trace's 14 days (with 14 days nothing but
    /// first reads can miss in its 258 s). Measured: Balanced +104, +53 extra loads, precision 0.764 (the aim, +200 at
    /// 0.8, is not reached: its multi-megabyte objects exhaust Balanced's byte budget, see docs/evaluation.md).
    /// </summary>
    [Fact]
    public Task Replay_BundledCdnTrace_Balanced_AvoidsWhatWasMeasured() =>
        GuardAsync(TracePaths.Bundled("meta_cdn_bigcache_10k.csv.gz"), 60, measuredAvoided: 104, maxExtraOriginLoads: 359, measuredPrecision: 0.764);

    /// <summary>CloudPhysics (oracleGeneral) at 300 s: measured +1,414, +322 extra loads, precision 0.950; aim ≥ 1,400 at ≤ +1,472 and ≥ 0.9.</summary>
    [Fact]
    public Task Replay_CloudPhysicsOracleGeneral_Balanced_AvoidsWhatWasMeasured() =>
        GuardAsync(TracePaths.Shared("cloudphysics_io_2h.oracleGeneral.bin.gz"), 300, measuredAvoided: 1_414, maxExtraOriginLoads: 1_472, measuredPrecision: 0.950, ignoreTraceTtl: false);

    /// <summary>NASA 1995 web day at 300 s: measured +3,701, +1,068 extra loads (≤ 10 % of none's 14,405 misses), precision 0.876.</summary>
    [Fact]
    public Task Replay_NasaWebDay_Balanced_AvoidsWhatWasMeasured() =>
        GuardAsync(TracePaths.Shared("web_nasa_aug95_day1_34k.tsv.gz"), 300, measuredAvoided: 3_701, maxExtraOriginLoads: 1_440, measuredPrecision: 0.876);

    /// <summary>NASA 1995 web day at 3600 s: measured +1,623, +627 extra loads (≤ 10 % of none's 6,377 misses), precision 0.835.</summary>
    [Fact]
    public Task Replay_NasaWebDayHourTtl_Balanced_AvoidsWhatWasMeasured() =>
        GuardAsync(TracePaths.Shared("web_nasa_aug95_day1_34k.tsv.gz"), 3600, measuredAvoided: 1_623, maxExtraOriginLoads: 638, measuredPrecision: 0.835);

    private static async Task GuardAsync(string path, int ttlSeconds, long measuredAvoided, long maxExtraOriginLoads, double measuredPrecision, bool ignoreTraceTtl = true)
    {
        var settings = new ReplaySettings { IgnoreTraceTtl = ignoreTraceTtl, DefaultTtl = TimeSpan.FromSeconds(ttlSeconds) };
        IReadOnlyList<PolicyResult> results = await new Replayer(() => TraceReader.Read(path), settings).RunAsync(["none", "predictive-balanced"]);
        PolicyResult none = results[0], balanced = results[1];
        long avoided = none.Misses - balanced.Misses;
        long extra = balanced.Misses + balanced.PrefetchLoads - none.Misses;
        long minimumAvoided = (long)(measuredAvoided * AvoidedMargin);

        Assert.True(avoided >= minimumAvoided, $"predictive-balanced avoided {avoided} misses on {Path.GetFileName(path)}; the guard wants {minimumAvoided} (measured {measuredAvoided})");
        Assert.True(extra <= maxExtraOriginLoads, $"predictive-balanced cost {extra} extra origin loads on {Path.GetFileName(path)}; the guard allows {maxExtraOriginLoads}");
        Assert.NotNull(balanced.LibraryPrecision);
        Assert.True(
            balanced.LibraryPrecision >= measuredPrecision - PrecisionMargin,
            $"predictive-balanced precision {balanced.LibraryPrecision:0.000} on {Path.GetFileName(path)} is under {measuredPrecision - PrecisionMargin:0.000}");
    }
}
