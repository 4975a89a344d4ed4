using Microsoft.Extensions.Caching.Distributed;
using PredictiveCaching.Loop.Candidates;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Replay.Readers;
using PredictiveCaching.Strategies;

namespace PredictiveCaching.Replay.Policies;

/// <summary>
/// The library's predictor (the heuristic; a trained model once <c>AddMachineLearning</c> exists) with one fixed
/// strategy: the real <c>PredictiveDistributedCache</c> records the reads, the real loader prefetches from the
/// simulated origin. After the trace the clock moves one lookahead window on (the origin closed) so that every
/// prefetch outcome settles before precision is read from <c>GetStatus()</c>.
/// </summary>
internal sealed class PredictivePolicy : IReplayPolicy
{
    private readonly ReplayContext _context;
    private readonly LibraryHost _host;

    public PredictivePolicy(ReplayContext context, PrefetchStrategyKind strategy, double? threshold = null)
    {
        _context = context;
        _host = new LibraryHost(context, strategy, withSource: true, threshold: threshold);
        Name = PolicySpec.Format("predictive-" + strategy.ToString().ToLowerInvariant(), threshold);
    }

    /// <summary>
    /// The library under Balanced with a chosen set of mechanisms: one alone (<c>only-expiry</c>, <c>only-coaccess</c>, …)
    /// or all but one (<c>without-rhythm</c>, …), named by <see cref="MechanismPolicies"/>.
    /// </summary>
    public PredictivePolicy(ReplayContext context, string name, PrefetchMechanisms mechanisms, double? threshold)
    {
        _context = context;
        _host = new LibraryHost(context, PrefetchStrategyKind.Balanced, withSource: true, threshold: threshold, mechanisms: mechanisms);
        Name = PolicySpec.Format(name, threshold);
    }

    /// <summary>The policies that run a subset of the mechanisms, by name: each mechanism alone, then all but each one.</summary>
    public static IReadOnlyList<(string Name, PrefetchMechanisms Mechanisms)> MechanismPolicies { get; } = MechanismSubsets();

    private static (string Name, PrefetchMechanisms Mechanisms)[] MechanismSubsets()
    {
        PrefetchMechanisms[] each = [PrefetchMechanisms.Rhythm, PrefetchMechanisms.Expiry, PrefetchMechanisms.Successors, PrefetchMechanisms.CoAccess, PrefetchMechanisms.Sequences];
        var subsets = new (string, PrefetchMechanisms)[2 * each.Length];
        for (int i = 0; i < each.Length; i++)
        {
            string mechanism = each[i].ToString().ToLowerInvariant();
            subsets[i] = ("only-" + mechanism, each[i]);
            subsets[each.Length + i] = ("without-" + mechanism, PrefetchMechanisms.All & ~each[i]);
        }

        return subsets;
    }

    public string Name { get; }

    public IDistributedCache Cache => _host.Cache;

    public LibraryFigures? Library { get; private set; }

    public void OnRequest(in TraceRequest request, bool hit)
    {
    }

    public async Task OnCycleAsync()
    {
        await _host.RunCycleAsync().ConfigureAwait(false);
    }

    public async Task FinishAsync()
    {
        // Outcomes settle at min(expiry, write + lookahead): move past the longest lookahead, with no new loads.
        _context.Origin.Closed = true;
        _context.Time.Advance(TimeSpan.FromSeconds(601) + _context.Settings.CycleInterval);
        await OnCycleAsync().ConfigureAwait(false);
        Library = _host.Figures();
        Console.Error.WriteLine($"  {Name}: {_host.CycleTally}");
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
