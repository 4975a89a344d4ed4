using System.Globalization;
using System.Reflection;
using System.Text;
using PredictiveCaching.Replay.Readers;
using PredictiveCaching.Replay.Reporting;
using PredictiveCaching.Replay.Synthetic;

namespace PredictiveCaching.Replay.Tests.Policies;

/// <summary>
/// The replayer is an instrument: the same trace and settings must give the same figures, run to run and whichever
/// policies run beside. Every figure of <see cref="PolicyResult"/> is compared (found by reflection, so a figure added
/// later is compared too), except the wall-clock ones.
/// </summary>
public class DeterminismTests
{
    private static readonly HashSet<string> WallClock = [nameof(PolicyResult.ElapsedSeconds), nameof(PolicyResult.RequestsPerSecond), nameof(PolicyResult.Series)];

    /// <summary>
    /// Many keys due at the same second: each cycle has far more candidates than <c>Prefetch.MaxConcurrency</c> (4), so
    /// how many start depends on whether a started load can end while the cycle is still dispatching — the race that
    /// made figures follow machine load before the replayer held loads until the dispatch ended.
    /// </summary>
    internal static IReadOnlyList<TraceRequest> Burst(int keys, int rounds)
    {
        var trace = new List<TraceRequest>(keys * rounds);
        for (int round = 0; round < rounds; round++)
        {
            for (int key = 0; key < keys; key++)
            {
                trace.Add(new TraceRequest((round * 60) + (key % 3), string.Create(CultureInfo.InvariantCulture, $"key{key * 7}"), 1000, 30, TraceOperation.Read));
            }
        }

        return trace;
    }

    [Theory]
    [InlineData("predictive-balanced")]
    [InlineData("predictive-aggressive")]
    public async Task Replay_BurstOfCandidatesTwiceAndBesideOthers_GivesIdenticalFigures(string policy)
    {
        IReadOnlyList<TraceRequest> trace = Burst(keys: 1500, rounds: 12);
        string first = await FiguresAsync(trace, ["none", policy], policy);
        string second = await FiguresAsync(trace, ["none", policy], policy);
        string beside = await FiguresAsync(trace, ["none", "refresh-ahead", "successor", policy, "oracle"], policy);

        Assert.Equal(first, second);
        Assert.Equal(first, beside);
    }

    [Fact]
    public async Task Replay_SyntheticWorkloadTwice_GivesIdenticalFiguresForEveryPolicy()
    {
        IReadOnlyList<TraceRequest> trace = SyntheticWorkload.Generate(new SyntheticWorkloadOptions { DurationSeconds = 900 });
        IReadOnlyList<string> policies = Replayer.DefaultPolicies;
        IReadOnlyList<PolicyResult> first = await new Replayer(() => trace, new ReplaySettings()).RunAsync(policies);
        IReadOnlyList<PolicyResult> second = await new Replayer(() => trace, new ReplaySettings()).RunAsync([.. policies.Reverse()]);
        foreach (PolicyResult result in first)
        {
            Assert.Equal(Describe(result), Describe(second.Single(r => r.Policy == result.Policy)));
        }
    }

    [Fact]
    public async Task Replay_BurstOfCandidates_StartsAtMostMaxConcurrencyLoadsPerCycle()
    {
        // 40 keys due within 3 s, TTL 30 s, every 60 s: the library sees them all as rhythm candidates at once.
        IReadOnlyList<TraceRequest> trace = Burst(keys: 40, rounds: 6);
        var settings = new ReplaySettings { MaxConcurrency = 2 };
        PolicyResult result = await new Replayer(() => trace, settings).RunOneAsync("predictive-aggressive");
        long cycles = (long)(trace[^1].TimeSeconds - trace[0].TimeSeconds) + 1;
        Assert.True(result.Prefetches > 0, "nothing was prefetched: the trace no longer exercises the limit");
        Assert.True(result.Prefetches <= cycles * settings.MaxConcurrency, $"{result.Prefetches} prefetches in {cycles} cycles of at most {settings.MaxConcurrency}");
    }

    private static async Task<string> FiguresAsync(IReadOnlyList<TraceRequest> trace, string[] policies, string policy)
    {
        IReadOnlyList<PolicyResult> results = await new Replayer(() => trace, new ReplaySettings()).RunAsync(policies);
        return Describe(results.Single(r => r.Policy == policy));
    }

    private static string Describe(PolicyResult result)
    {
        var text = new StringBuilder();
        foreach (PropertyInfo property in typeof(PolicyResult).GetProperties().OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            if (!WallClock.Contains(property.Name))
            {
                text.Append(property.Name).Append('=').Append(Convert.ToString(property.GetValue(result), CultureInfo.InvariantCulture)).Append(';');
            }
        }

        foreach ((long reads, long hits) in result.Series.Points)
        {
            text.Append(reads).Append('/').Append(hits).Append(' ');
        }

        return text.ToString();
    }
}
