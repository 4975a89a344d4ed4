using System.Diagnostics;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Time.Testing;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Replay.Policies;
using PredictiveCaching.Replay.Readers;
using PredictiveCaching.Replay.Reporting;
using PredictiveCaching.Replay.Simulation;
using PredictiveCaching.Strategies;

namespace PredictiveCaching.Replay;

/// <summary>
/// Replays a trace in virtual time through one policy at a time, each on a fresh clock, inner cache, origin and (for
/// library policies) service provider, each reading the trace anew from the file.
/// </summary>
public sealed class Replayer
{
    /// <summary>Every policy, in the order they run and are reported.</summary>
    public static readonly IReadOnlyList<string> AllPolicies =
    [
        NoPrefetchPolicy.PolicyName,
        RefreshAheadPolicy.PolicyName,
        RefreshAheadPolicy.BudgetedPolicyName,
        SuccessorPolicy.PolicyName,
        "predictive-aggressive",
        "predictive-balanced",
        "predictive-conservative",
        LearnedPolicy.PolicyName,
        OraclePolicy.PolicyName,
        "only-rhythm",
        "only-expiry",
        "only-successors",
        "only-coaccess",
        "only-sequences",
        "without-rhythm",
        "without-expiry",
        "without-successors",
        "without-coaccess",
        "without-sequences",
    ];

    /// <summary>The policies run when none are named: all but <see cref="LearnedPolicy"/>, which trains models and is slow.</summary>
    public static readonly IReadOnlyList<string> DefaultPolicies = [.. AllPolicies.Where(p => p != LearnedPolicy.PolicyName && !p.StartsWith("only-", StringComparison.Ordinal) && !p.StartsWith("without-", StringComparison.Ordinal))];

    private readonly Func<IEnumerable<TraceRequest>> _openTrace;
    private readonly ReplaySettings _settings;
    private readonly ValuePool _values = new();

    /// <param name="openTrace">Opens the trace anew; called once per policy (twice for the oracle).</param>
    /// <param name="settings">The replay's knobs.</param>
    public Replayer(Func<IEnumerable<TraceRequest>> openTrace, ReplaySettings settings)
    {
        ArgumentNullException.ThrowIfNull(openTrace);
        ArgumentNullException.ThrowIfNull(settings);
        _openTrace = openTrace;
        _settings = settings;
    }

    /// <summary>Runs each policy over the whole trace.</summary>
    /// <param name="policies">Policy names from <see cref="AllPolicies"/>.</param>
    /// <param name="progress">Told when a policy finishes.</param>
    /// <returns>One result per policy, in the order given.</returns>
    public async Task<IReadOnlyList<PolicyResult>> RunAsync(IEnumerable<string> policies, Action<PolicyResult>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(policies);
        var results = new List<PolicyResult>();
        foreach (string policy in policies)
        {
            PolicyResult result = await RunOneAsync(policy).ConfigureAwait(false);
            progress?.Invoke(result);
            results.Add(result);
        }

        return results;
    }

    /// <summary>Runs one policy over the whole trace.</summary>
    /// <param name="policyName">A name from <see cref="AllPolicies"/>.</param>
    /// <returns>What it did.</returns>
    public async Task<PolicyResult> RunOneAsync(string policyName)
    {
        var time = new FakeTimeProvider(TraceClock.Start);
        var clock = new TraceClock();
        var origin = new SimulatedOrigin(_values, _settings.DefaultTtl);
        var inner = new VirtualCache(time, _settings.CacheCapacity, _settings.CacheCapacityBytes, origin.SizeOf);
        var context = new ReplayContext(time, inner, origin, _settings, Prepared);
        await using IReplayPolicy policy = Create(policyName, context, clock);
        IDistributedCache cache = policy.Cache;
        var series = new HitSeries(_settings.BucketSeconds > 0 ? _settings.BucketSeconds : 1);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long cycleTicks = _settings.CycleInterval.Ticks;
        long nextCycle = 0;
        long requests = 0, reads = 0, hits = 0, compulsory = 0, writes = 0, deletes = 0;
        var stopwatch = Stopwatch.StartNew();
        foreach (TraceRequest request in Prepared())
        {
            if (!clock.IsStarted)
            {
                clock.Begin(request.TimeSeconds);
                nextCycle = clock.StartTicks;
            }

            long at = clock.ToTicks(request.TimeSeconds);
            if (at >= nextCycle)
            {
                long due = ((at - nextCycle) / cycleTicks) + 1;
                if (due > _settings.GapCycles)
                {
                    nextCycle += (due - _settings.MaxCyclesPerGap) * cycleTicks;
                }

                while (nextCycle <= at)
                {
                    Advance(time, nextCycle);
                    await policy.OnCycleAsync().ConfigureAwait(false);
                    nextCycle += cycleTicks;
                }
            }

            Advance(time, at);
            requests++;
            bool firstRequest = seen.Add(request.Key);
            origin.Observe(request.Key, request.Size, request.TtlSeconds);
            bool hit = false;
            switch (request.Operation)
            {
                case TraceOperation.Read:
                    reads++;
                    hit = cache.Get(request.Key) is not null;
                    if (hit)
                    {
                        hits++;
                    }
                    else
                    {
                        compulsory += firstRequest ? 1 : 0;
                        cache.Set(request.Key, origin.LoadForApplication(request.Size), origin.OptionsFor(origin.TtlTicksFor(request.TtlSeconds)));
                    }

                    series.Add(request.TimeSeconds - clock.FirstSeconds, hit);
                    break;
                case TraceOperation.Write:
                    writes++;
                    cache.Set(request.Key, _values.Get(request.Size), origin.OptionsFor(origin.TtlTicksFor(request.TtlSeconds)));
                    break;
                default:
                    deletes++;
                    cache.Remove(request.Key);
                    break;
            }

            policy.OnRequest(in request, hit);
        }

        stopwatch.Stop();
        long originLoads = origin.TotalLoads;
        await policy.FinishAsync().ConfigureAwait(false);
        CacheFigures figures = inner.Finish();
        long misses = reads - hits;
        LibraryFigures? library = policy.Library;
        return new PolicyResult
        {
            Policy = policy.Name,
            Requests = requests,
            Reads = reads,
            Hits = hits,
            Misses = misses,
            CompulsoryMisses = compulsory,
            Writes = writes,
            Deletes = deletes,
            Prefetches = figures.PrefetchWrites,
            PrefetchesUsed = figures.Used,
            PrefetchesWasted = figures.Wasted,
            WastedBytes = figures.WastedBytes,
            OriginLoads = originLoads,
            PrefetchLoads = origin.PrefetchLoads,
            Evictions = figures.Evictions,
            LibraryPrecision = library?.Precision,
            LibraryPrefetchesCompleted = library?.Completed,
            MeanLatencyMs = reads == 0 ? 0 : ((hits * _settings.HitLatencyMs) + (misses * _settings.OriginLatencyMs)) / reads,
            P99LatencyMs = reads == 0 ? 0 : misses > reads / 100 ? _settings.OriginLatencyMs : _settings.HitLatencyMs,
            ElapsedSeconds = stopwatch.Elapsed.TotalSeconds,
            Series = series,
        };
    }

    private static void Advance(FakeTimeProvider time, long ticks)
    {
        if (ticks > time.GetUtcNow().UtcTicks)
        {
            time.SetUtcNow(new DateTimeOffset(ticks, TimeSpan.Zero));
        }
    }

    /// <summary>Whether <paramref name="spec"/> names a known policy, with a parameter only where one applies.</summary>
    public static bool IsKnown(string spec)
    {
        (string name, double? parameter) = PolicySpec.Parse(spec);
        return AllPolicies.Contains(name)
            && (parameter is null || name is RefreshAheadPolicy.PolicyName or RefreshAheadPolicy.BudgetedPolicyName or SuccessorPolicy.PolicyName
                || (name.StartsWith("predictive-", StringComparison.Ordinal) && name != LearnedPolicy.PolicyName)
                || name.StartsWith("only-", StringComparison.Ordinal) || name.StartsWith("without-", StringComparison.Ordinal));
    }

    private static IReplayPolicy Create(string spec, ReplayContext context, TraceClock clock)
    {
        (string name, double? parameter) = PolicySpec.Parse(spec);
        if (!IsKnown(spec))
        {
            throw new ArgumentException($"unknown policy '{spec}'; known: {string.Join(", ", AllPolicies)} (refresh-ahead, successor, predictive-aggressive/balanced/conservative only-* and without-* take @<value>)", nameof(spec));
        }

        return name switch
        {
            NoPrefetchPolicy.PolicyName => new NoPrefetchPolicy(context),
            RefreshAheadPolicy.PolicyName => new RefreshAheadPolicy(context, parameter),
            RefreshAheadPolicy.BudgetedPolicyName => new RefreshAheadPolicy(context, parameter, BalancedBudget(context.Settings)),
            SuccessorPolicy.PolicyName => new SuccessorPolicy(context, parameter),
            "predictive-aggressive" => new PredictivePolicy(context, PrefetchStrategyKind.Aggressive, parameter),
            "predictive-balanced" => new PredictivePolicy(context, PrefetchStrategyKind.Balanced, parameter),
            "predictive-conservative" => new PredictivePolicy(context, PrefetchStrategyKind.Conservative, parameter),
            LearnedPolicy.PolicyName => new LearnedPolicy(context),
            OraclePolicy.PolicyName => new OraclePolicy(context, clock),
            _ => new PredictivePolicy(context, name, MechanismsOf(name), parameter),
        };
    }

    // The budget refresh-ahead-budget is held to: the Balanced strategy's bytes per lookahead window, or --budget-bytes.
    private static RefreshBudget BalancedBudget(ReplaySettings settings)
    {
        PrefetchStrategyOptions balanced = new PredictiveLoadingOptions().Strategies.Balanced;
        return new RefreshBudget(settings.BudgetBytes > 0 ? settings.BudgetBytes : balanced.PrefetchBudgetBytes, balanced.LookaheadWindow);
    }

    private static PrefetchMechanisms MechanismsOf(string name)
    {
        foreach ((string policy, PrefetchMechanisms mechanisms) in PredictivePolicy.MechanismPolicies)
        {
            if (policy == name)
            {
                return mechanisms;
            }
        }

        throw new ArgumentException($"unknown policy '{name}'", nameof(name));
    }

    // The stream every policy sees: the request limit applied, and the trace's TTLs dropped when asked.
    private IEnumerable<TraceRequest> Prepared()
    {
        long count = 0;
        foreach (TraceRequest request in _openTrace())
        {
            if (_settings.MaxRequests > 0 && count++ >= _settings.MaxRequests)
            {
                yield break;
            }

            yield return _settings.IgnoreTraceTtl ? request with { TtlSeconds = 0 } : request;
        }
    }
}
