using System.Globalization;
using PredictiveCaching.Replay.Policies;
using PredictiveCaching.Replay.Readers;

namespace PredictiveCaching.Replay;

/// <summary>The command line, parsed by hand (a dozen flags do not need a parser library).</summary>
internal sealed class ReplayArguments
{
    public const string Usage = """
        Replays a cache access trace in virtual time against no prefetch, refresh-ahead, successor prefetch, the
        library's predictor (each strategy), the library with learned prediction, and an oracle, and reports what
        each saved.

        usage: PredictiveCaching.Replay <trace | synthetic> [options]

          <trace>                    a trace file (.gz is read on the fly); 'synthetic' generates the synthetic workload
          --format <f>               auto (default) | cloudphysics | oraclegeneral | metacdn | metakv | plain |
                                     nasatsv | clf (Common Log Format or combined: Apache/nginx access logs)
          --policies <a,b,...>       default: none,refresh-ahead,refresh-ahead-budget,successor,
                                     predictive-aggressive,predictive-balanced,predictive-conservative,oracle
                                     (refresh-ahead-budget: refresh-ahead held to the Balanced strategy's byte budget,
                                     PrefetchBudgetBytes per LookaheadWindow, or to --budget-bytes: equal bytes)
                                     (add predictive-learned for the library with AddMachineLearning, trained in
                                     virtual time on the trace's past; it trains FastTree models, so it is slower;
                                     only-rhythm, only-expiry, only-successors, only-coaccess, only-sequences: the
                                     library under Balanced with that one mechanism, Prefetch:Mechanisms;
                                     without-rhythm, without-expiry, …: the same with every mechanism but that one)
          --all-policies             every policy, predictive-learned included
          --retrain-minutes <m>      predictive-learned: virtual minutes between trainings (default 20)
          --out <dir>                where results.csv and hit-ratio.png go (default: replay-results)
          --name <text>              the trace's name in the table, CSV and chart (default: the file name)
          --default-ttl <s>          TTL when the trace gives none (default 300)
          --ignore-trace-ttl         use --default-ttl for every value, whatever the trace says
          --capacity <n>             bound the inner cache to n entries, LRU (default: unbounded)
          --capacity-bytes <n>       bound the inner cache to n bytes of the trace's sizes, LRU (default: unbounded)
          --cycle <s>                virtual seconds between prefetch cycles (default 1)
          --origin-latency-ms <ms>   latency of a miss in the latency figures (default 50)
          --hit-latency-ms <ms>      latency of a hit in the latency figures (default 1)
          --refresh-fraction <f>     refresh-ahead reloads on a hit after this fraction of the TTL (default 0.9)
          --refresh-fractions <list> one refresh-ahead row per fraction (e.g. 0.5,0.6,0.7,0.8,0.9) in place of refresh-ahead
                                     (and of refresh-ahead-budget)
          --sweep                    the frontier: none, oracle, refresh-ahead and refresh-ahead-budget over
                                     --refresh-fractions (default 0.5..0.95), successor over shares 0.3..0.9, each
                                     predictive strategy over --thresholds (default 0.3..0.95); writes sweep.csv and
                                     sweep.png as well
          --thresholds <list>        the predictive strategies' ProbabilityThreshold values a sweep runs
          (any refresh-ahead, successor or predictive-* policy takes a parameter: predictive-balanced@0.6)
          --successor-threshold <f>  successor policy: least successor share to prefetch (default 0.7)
          --max-concurrency <n>      the library's Prefetch.MaxConcurrency: most loads a cycle starts (default: the library's, 4)
          --budget-bytes <n>         every strategy's PrefetchBudgetBytes, and refresh-ahead-budget's (default: each
                                     strategy's own)
          --max-requests <n>         replay only the first n requests
          --synthetic-seconds <s>    length of the generated synthetic workload (default 3600)
          --no-chart                 skip the PNG
          -h, --help                 this text
        """;

    public string? Trace { get; private set; }

    public TraceFormat Format { get; private set; } = TraceFormat.Auto;

    public IReadOnlyList<string> Policies { get; private set; } = Replayer.DefaultPolicies;

    public string OutputDirectory { get; private set; } = "replay-results";

    public string? Name { get; private set; }

    public bool Chart { get; private set; } = true;

    public bool Help { get; private set; }

    public int SyntheticSeconds { get; private set; } = 3600;

    public ReplaySettings Settings { get; } = new();

    /// <summary>Gets a value indicating whether to run the frontier sweep (<see cref="Reporting.Sweep"/>).</summary>
    public bool IsSweep { get; private set; }

    public IReadOnlyList<double>? RefreshFractions { get; private set; }

    public IReadOnlyList<double>? Thresholds { get; private set; }

    public static ReplayArguments Parse(IReadOnlyList<string> args)
    {
        var parsed = new ReplayArguments();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{arg} needs a value");
            double Number() => double.Parse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture);
            switch (arg)
            {
                case "-h" or "--help": parsed.Help = true; break;
                case "--format": parsed.Format = ParseFormat(Value()); break;
                case "--policies": parsed.Policies = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
                case "--out": parsed.OutputDirectory = Value(); break;
                case "--name": parsed.Name = Value(); break;
                case "--default-ttl": parsed.Settings.DefaultTtl = TimeSpan.FromSeconds(Number()); break;
                case "--ignore-trace-ttl": parsed.Settings.IgnoreTraceTtl = true; break;
                case "--capacity": parsed.Settings.CacheCapacity = (int)Number(); break;
                case "--capacity-bytes": parsed.Settings.CacheCapacityBytes = (long)Number(); break;
                case "--cycle": parsed.Settings.CycleInterval = TimeSpan.FromSeconds(Number()); break;
                case "--origin-latency-ms": parsed.Settings.OriginLatencyMs = Number(); break;
                case "--hit-latency-ms": parsed.Settings.HitLatencyMs = Number(); break;
                case "--refresh-fraction": parsed.Settings.RefreshAheadFraction = Number(); break;
                case "--successor-threshold": parsed.Settings.SuccessorThreshold = Number(); break;
                case "--max-concurrency": parsed.Settings.MaxConcurrency = (int)Number(); break;
                case "--budget-bytes": parsed.Settings.BudgetBytes = (long)Number(); break;
                case "--max-requests": parsed.Settings.MaxRequests = (long)Number(); break;
                case "--synthetic-seconds": parsed.SyntheticSeconds = (int)Number(); break;
                case "--no-chart": parsed.Chart = false; break;
                case "--sweep": parsed.IsSweep = true; break;
                case "--refresh-fractions": parsed.RefreshFractions = Numbers(Value()); break;
                case "--thresholds": parsed.Thresholds = Numbers(Value()); break;
                case "--all-policies": parsed.Policies = Replayer.AllPolicies; break;
                case "--retrain-minutes": parsed.Settings.RetrainInterval = TimeSpan.FromMinutes(Number()); break;
                default:
                    if (arg.StartsWith('-') || parsed.Trace is not null)
                    {
                        throw new ArgumentException($"unexpected argument '{arg}'");
                    }

                    parsed.Trace = arg;
                    break;
            }
        }

        if (parsed.IsSweep)
        {
            parsed.Policies = Reporting.Sweep.Policies(
                parsed.Thresholds ?? Reporting.Sweep.DefaultThresholds,
                parsed.RefreshFractions ?? Reporting.Sweep.DefaultRefreshFractions,
                Reporting.Sweep.DefaultSuccessorShares);
        }
        else if (parsed.RefreshFractions is { } fractions)
        {
            // One row per fraction where refresh-ahead (and refresh-ahead-budget) stood, or after none when neither was named.
            var policies = new List<string>(parsed.Policies);
            bool named = false;
            foreach (string refresh in (ReadOnlySpan<string>)[RefreshAheadPolicy.PolicyName, RefreshAheadPolicy.BudgetedPolicyName])
            {
                int at = policies.IndexOf(refresh);
                if (at >= 0)
                {
                    policies.RemoveAt(at);
                    policies.InsertRange(at, fractions.Select(f => PolicySpec.Format(refresh, f)));
                    named = true;
                }
            }

            if (!named)
            {
                int at = Math.Min(policies.Count, policies.IndexOf("none") + 1);
                policies.InsertRange(at, fractions.Select(f => PolicySpec.Format(RefreshAheadPolicy.PolicyName, f)));
            }

            parsed.Policies = policies;
        }

        foreach (string policy in parsed.Policies)
        {
            if (!Replayer.IsKnown(policy))
            {
                throw new ArgumentException($"unknown policy '{policy}'; known: {string.Join(", ", Replayer.AllPolicies)}");
            }
        }

        return parsed;
    }

    private static double[] Numbers(string list) =>
        [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture))];

    private static TraceFormat ParseFormat(string value) => value.ToUpperInvariant() switch
    {
        "COMBINED" or "COMMON" or "ACCESSLOG" => TraceFormat.Clf,
        _ => Enum.Parse<TraceFormat>(value, ignoreCase: true),
    };
}
