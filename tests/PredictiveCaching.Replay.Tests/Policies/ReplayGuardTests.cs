using PredictiveCaching.Replay.Readers;
using PredictiveCaching.Replay.Reporting;

namespace PredictiveCaching.Replay.Tests.Policies;

/// <summary>
/// The CI guard: the library must keep paying for itself on a real trace. It replays the bundled Meta CDN sample
/// (Apache-2.0) with a 60 s TTL in place of the trace's 14 days: with 14 days, nothing but first reads can miss in
/// its 258 s, so every policy ties with none and the guard would test nothing. At 60 s the trace has 468 misses
/// that are not first reads (the oracle's room), and the library's Balanced strategy avoids 83 of them at 76 %
/// precision (docs/evaluation.md).
/// </summary>
public class ReplayGuardTests
{
    /// <summary>Predictive (Balanced) must avoid at least this many misses more than none: strictly better.</summary>
    private const long MinimumMissesAvoided = 1;

    /// <summary>
    /// The least acceptable library precision (used / (used + wasted), settled outcomes): below one in two, prefetching
    /// wastes more origin loads than it saves and Balanced should not be the default.
    /// </summary>
    private const double MinimumPrecision = 0.5;

    private const int GuardTtlSeconds = 60;

    [Fact]
    public async Task Replay_BundledCdnTrace_PredictiveBalancedBeatsNoneWithPrecision()
    {
        string path = TracePaths.Bundled("meta_cdn_bigcache_10k.csv.gz");
        var settings = new ReplaySettings { IgnoreTraceTtl = true, DefaultTtl = TimeSpan.FromSeconds(GuardTtlSeconds) };
        IReadOnlyList<PolicyResult> results = await new Replayer(() => TraceReader.Read(path), settings).RunAsync(["none", "predictive-balanced"]);
        PolicyResult none = results[0], balanced = results[1];

        Assert.True(
            none.Misses - balanced.Misses >= MinimumMissesAvoided,
            $"predictive-balanced missed {balanced.Misses} times, none {none.Misses}: prediction no longer avoids misses on the CDN trace");
        Assert.NotNull(balanced.LibraryPrecision);
        Assert.True(
            balanced.LibraryPrecision >= MinimumPrecision,
            $"predictive-balanced precision {balanced.LibraryPrecision:0.000} is under {MinimumPrecision}");
    }
}
