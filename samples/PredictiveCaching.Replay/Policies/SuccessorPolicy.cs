using Microsoft.Extensions.Caching.Distributed;
using PredictiveCaching.Replay.Readers;
using PredictiveCaching.Strategies;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Replay.Policies;

/// <summary>
/// Successor and sequential prefetch only, without any rhythm. The library cannot be configured to drop its rhythm
/// candidates (every key read twice gets one, and the heuristic blends rhythm into every score), so this policy is a
/// small replayer-side prefetcher over the library's own <see cref="AccessTracker"/>: the reads go through the real
/// decorator (which learns the successor links), and once per cycle, for each key read since the last cycle,
/// <list type="bullet">
/// <item>each successor whose share of the key's reads is at least <see cref="ReplaySettings.SuccessorThreshold"/>
/// (links seen at least twice, as the library requires), and</item>
/// <item>after <c>p:n-1</c> then <c>p:n</c> within the tracker's successor gap, <c>p:n+1</c> when the prefix's
/// Laplace-smoothed continuation rate reaches the same threshold,</item>
/// </list>
/// is loaded unless a live copy is cached. The library's cycle runs only to link reads (no source is registered with
/// it, so it prefetches nothing).
/// </summary>
internal sealed class SuccessorPolicy : IReplayPolicy
{
    public const string PolicyName = "successor";
    private static readonly TimeSpan SuccessorGap = TimeSpan.FromSeconds(5);

    private readonly ReplayContext _context;
    private readonly LibraryHost _host;
    private readonly HashSet<string> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Reads, long Continued)> _prefixes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _lastRead = new(StringComparer.Ordinal);
    private readonly SuccessorLink[] _links = new SuccessorLink[8];

    private readonly double _threshold;

    public SuccessorPolicy(ReplayContext context, double? threshold = null)
    {
        _context = context;
        _threshold = threshold ?? context.Settings.SuccessorThreshold;
        Name = PolicySpec.Format(PolicyName, threshold);
        _host = new LibraryHost(context, PrefetchStrategyKind.Balanced, withSource: false);
    }

    public string Name { get; }

    public IDistributedCache Cache => _host.Cache;

    public LibraryFigures? Library => null;

    public void OnRequest(in TraceRequest request, bool hit)
    {
        if (request.Operation == TraceOperation.Read)
        {
            _pending.Add(request.Key);
        }
    }

    public async Task OnCycleAsync()
    {
        // The library links successors in its cycle (from the recent-reads ring), not on the read path; with no source
        // registered the cycle links, then stops before scoring ("no prefetch source is registered").
        await _host.Loader.RunCycleAsync().ConfigureAwait(false);
        long now = _context.Time.GetUtcNow().UtcTicks;
        foreach (string key in _pending)
        {
            if (_host.Tracker.TryGet(key, out KeyAccessStatistics? entry))
            {
                int count = entry.GetSuccessors(_links);
                long reads = Math.Max(1, entry.ReadCount);
                for (int i = 0; i < count; i++)
                {
                    if (_links[i].Count / (double)reads >= _threshold)
                    {
                        Prefetch(_links[i].Successor.Key);
                    }
                }
            }

            Sequential(key, now);
        }

        _pending.Clear();
    }

    public Task FinishAsync() => Task.CompletedTask;

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private void Sequential(string key, long now)
    {
        if (!SequenceNeighbours.TrySplit(key, out string prefix, out long number))
        {
            return;
        }

        string previous = SequenceNeighbours.Name(prefix, number - 1);
        bool continues = _lastRead.TryGetValue(previous, out long previousTicks) && now - previousTicks <= SuccessorGap.Ticks;

        // Bounded: the map only needs recent reads; start over rather than grow with the trace.
        if (_lastRead.Count > 200_000)
        {
            _lastRead.Clear();
        }

        _lastRead[key] = now;
        _prefixes.TryGetValue(prefix, out (long Reads, long Continued) counts);
        counts = (counts.Reads + 1, counts.Continued + (continues ? 1 : 0));
        _prefixes[prefix] = counts;
        if (continues && (counts.Continued + 1d) / (counts.Reads + 2d) >= _threshold)
        {
            Prefetch(SequenceNeighbours.Name(prefix, number + 1));
        }
    }

    private void Prefetch(string key)
    {
        if (!_context.Inner.TryPeek(key, out _, out _)
            && _context.Origin.TryLoadForPrefetch(key, _context.Inner, out byte[] value, out DistributedCacheEntryOptions options))
        {
            _context.Inner.Set(key, value, options);
        }
    }
}
