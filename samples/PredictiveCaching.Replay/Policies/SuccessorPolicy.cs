using Microsoft.Extensions.Caching.Distributed;
using PredictiveCaching.Replay.Readers;
using PredictiveCaching.Strategies;

namespace PredictiveCaching.Replay.Policies;

/// <summary>
/// Successor and sequential prefetch only, as a replayer-side reference policy that keeps its own counts (the library's
/// own successor mechanism alone is <c>only-successors</c>): reads go through the real decorator, each read within
/// <see cref="SuccessorGap"/> of the previous one counts as that key's successor (at most four per key, Misra-Gries,
/// as the library keeps them), and once per cycle, for each key read since the last cycle,
/// <list type="bullet">
/// <item>each successor whose share of the key's reads is at least <see cref="ReplaySettings.SuccessorThreshold"/>
/// (links seen at least twice), and</item>
/// <item>after <c>p:n-1</c> then <c>p:n</c> within the successor gap, <c>p:n+1</c> when the prefix's
/// Laplace-smoothed continuation rate reaches the same threshold,</item>
/// </list>
/// is loaded unless a live copy is cached. No source is registered with the library, so it prefetches nothing itself.
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
    private readonly Dictionary<string, Successors> _successors = new(StringComparer.Ordinal);
    private string? _previousKey;
    private long _previousTicks;

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
        if (request.Operation != TraceOperation.Read)
        {
            return;
        }

        _pending.Add(request.Key);
        long now = _context.Time.GetUtcNow().UtcTicks;

        // Bounded: the counts only need the keys read lately; start over rather than grow with the trace.
        if (_successors.Count > 200_000)
        {
            _successors.Clear();
        }

        if (!_successors.TryGetValue(request.Key, out Successors? own))
        {
            own = new Successors();
            _successors[request.Key] = own;
        }

        own.Reads++;
        if (_previousKey is not null && _previousKey != request.Key && now - _previousTicks <= SuccessorGap.Ticks
            && _successors.TryGetValue(_previousKey, out Successors? previous))
        {
            previous.Count(request.Key);
        }

        _previousKey = request.Key;
        _previousTicks = now;
    }

    public async Task OnCycleAsync()
    {
        await _host.Loader.RunCycleAsync().ConfigureAwait(false);
        long now = _context.Time.GetUtcNow().UtcTicks;
        foreach (string key in _pending)
        {
            if (_successors.TryGetValue(key, out Successors? successors))
            {
                for (int i = 0; i < successors.Keys.Length; i++)
                {
                    if (successors.Keys[i] is { } next && successors.Counts[i] >= 2 && successors.Counts[i] / (double)successors.Reads >= _threshold)
                    {
                        Prefetch(next);
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

    /// <summary>A key's read count and its most frequent successors (Misra-Gries over four slots).</summary>
    private sealed class Successors
    {
        public long Reads { get; set; }

        public string?[] Keys { get; } = new string?[4];

        public long[] Counts { get; } = new long[4];

        public void Count(string successor)
        {
            int free = -1;
            for (int i = 0; i < Keys.Length; i++)
            {
                if (Keys[i] == successor)
                {
                    Counts[i]++;
                    return;
                }

                if (Keys[i] is null && free < 0)
                {
                    free = i;
                }
            }

            if (free >= 0)
            {
                Keys[free] = successor;
                Counts[free] = 1;
                return;
            }

            for (int i = 0; i < Keys.Length; i++)
            {
                if (--Counts[i] == 0)
                {
                    Keys[i] = null;
                }
            }
        }
    }
}
