using PredictiveCaching.Replay.Readers;
using PredictiveCaching.Replay.Reporting;
using PredictiveCaching.Replay.Synthetic;

namespace PredictiveCaching.Replay.Tests.Reporting;

public sealed class ReportingTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "replay-report-" + Guid.NewGuid().ToString("N"));

    public ReportingTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Compare_RefreshOfAValidCopy_IsUsedButYieldsNothing()
    {
        // TTL 100 s, reads every 95 s. None misses at 0, 190 and 380 and hits in between. Refresh-ahead (0.9) reloads at
        // every hit, 95 s to 475 s: five prefetched copies, each read 95 s later except the last (wasted at the end). Only
        // the copies read at 190 and 380 avoided a miss; those read at 285 and 475 served reads that none's own copy
        // served as well.
        TraceRequest[] trace = [.. Enumerable.Range(0, 6).Select(i => new TraceRequest(i * 95, "k", 10, 100, TraceOperation.Read))];
        IReadOnlyList<ComparisonRow> rows = ComparisonRow.Compare(await new Replayer(() => trace, new ReplaySettings()).RunAsync(["none", "refresh-ahead"]));
        ComparisonRow refresh = rows[1];
        Assert.Equal(3, rows[0].Result.Misses);
        Assert.Equal(5, refresh.Result.Prefetches);
        Assert.Equal(4, refresh.Result.PrefetchesUsed);
        Assert.Equal(1, refresh.Result.PrefetchesWasted);
        Assert.Equal(2, refresh.MissesAvoided);

        // Precision (4 of 5 read) cannot tell those apart; yield (2 misses avoided per 5 prefetches) can.
        Assert.Equal(0.8, refresh.Precision, 10);
        Assert.Equal(2 / 5d, refresh.Yield, 10);

        // Extra origin loads: misses + prefetch loads - none's misses.
        Assert.Equal(refresh.Result.Misses + refresh.Result.PrefetchLoads - rows[0].Result.Misses, refresh.ExtraOriginLoads);
        Assert.Equal(1 + 5 - 3, refresh.ExtraOriginLoads);
    }

    [Fact]
    public void Parse_RefreshFractions_GivesOneRefreshAheadRowPerFraction()
    {
        ReplayArguments arguments = ReplayArguments.Parse(["trace.csv", "--refresh-fractions", "0.5,0.7,0.9"]);
        Assert.Equal(
            ["none", "refresh-ahead@0.5", "refresh-ahead@0.7", "refresh-ahead@0.9", "refresh-ahead-budget@0.5", "refresh-ahead-budget@0.7", "refresh-ahead-budget@0.9", "successor", "predictive-aggressive", "predictive-balanced", "predictive-conservative", "oracle"],
            arguments.Policies);
    }

    [Fact]
    public void Parse_RefreshFractions_WithoutRefreshAheadNamed_PutsItsRowsAfterNone()
    {
        ReplayArguments arguments = ReplayArguments.Parse(["trace.csv", "--refresh-fractions", "0.5,0.9", "--policies", "none,predictive-balanced"]);
        Assert.Equal(["none", "refresh-ahead@0.5", "refresh-ahead@0.9", "predictive-balanced"], arguments.Policies);
    }

    [Fact]
    public void Parse_Sweep_RunsEveryFamilyOverItsParameter()
    {
        ReplayArguments arguments = ReplayArguments.Parse(["trace.csv", "--sweep", "--thresholds", "0.6,0.8"]);
        Assert.Contains("predictive-balanced@0.6", arguments.Policies);
        Assert.Contains("predictive-conservative@0.8", arguments.Policies);
        Assert.Contains("refresh-ahead@0.95", arguments.Policies);
        Assert.Contains("refresh-ahead-budget@0.95", arguments.Policies);
        Assert.Contains("successor@0.3", arguments.Policies);
        Assert.Equal("none", arguments.Policies[0]);
        Assert.Equal("oracle", arguments.Policies[^1]);
    }

    [Theory]
    [InlineData("oracle@0.5")]
    [InlineData("predictive-balanced@1.5")]
    [InlineData("predictive-learned@0.7")]
    [InlineData("nonsense")]
    public void Parse_BadPolicy_Throws(string policy) =>
        Assert.Throws<ArgumentException>(() => ReplayArguments.Parse(["trace.csv", "--policies", policy]));

    [Fact]
    public async Task Sweep_Thresholds_WriteCsvAndChart()
    {
        IReadOnlyList<TraceRequest> trace = SyntheticWorkload.Generate(new SyntheticWorkloadOptions { DurationSeconds = 600 });
        IReadOnlyList<PolicyResult> results = await new Replayer(() => trace, new ReplaySettings())
            .RunAsync(["none", "predictive-balanced@0.5", "predictive-balanced@0.9", "refresh-ahead@0.8", "oracle"]);
        IReadOnlyList<ComparisonRow> rows = ComparisonRow.Compare(results);

        // A lower threshold prefetches at least as much.
        Assert.True(rows[1].Result.Prefetches >= rows[2].Result.Prefetches, $"{rows[1].Result.Prefetches} < {rows[2].Result.Prefetches}");
        string csv = Path.Combine(_folder, "sweep.csv");
        string png = Path.Combine(_folder, "sweep.png");
        Sweep.WriteCsv(csv, "synthetic", rows);
        Sweep.WriteChart(png, "sweep", rows);
        string[] lines = File.ReadAllLines(csv);
        Assert.Equal(6, lines.Length);
        Assert.StartsWith("synthetic,predictive-balanced,0.5,", lines[2], StringComparison.Ordinal);
        string named = Path.Combine(_folder, "named.csv");
        CsvReport.Write(named, "NASA, 300 s", rows);
        Assert.StartsWith("\"NASA, 300 s\",none,", File.ReadAllLines(named)[1], StringComparison.Ordinal);
        Assert.True(new FileInfo(png).Length > 1000);
    }
}
