using Microsoft.Extensions.Caching.Distributed;
using PredictiveCaching.Replay.Readers;

namespace PredictiveCaching.Replay.Policies;

/// <summary>
/// The limit: it reads the trace ahead (a second pass over the same file) and, at the last cycle before each read,
/// prefetches the key exactly when its copy would otherwise be missing at that read. Prefetching at the last moment
/// inside the lookahead window is what a clairvoyant prefetcher would choose under TTLs: the copy is as fresh as it can
/// be, and no prefetch is ever wasted (unless a capacity bound evicts it). It does not prefetch a key before the trace
/// has named it once (first requests stay compulsory misses for every policy), nor a read that a write of the same
/// key precedes within the cycle. Memory: the requests of one cycle interval ahead plus the set of keys seen.
/// </summary>
internal sealed class OraclePolicy : IReplayPolicy
{
    public const string PolicyName = "oracle";

    private readonly ReplayContext _context;
    private readonly TraceClock _clock;
    private readonly IEnumerator<TraceRequest> _future;
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);
    private readonly HashSet<string> _prefetched = new(StringComparer.Ordinal);
    private bool _hasNext;

    public OraclePolicy(ReplayContext context, TraceClock clock)
    {
        _context = context;
        _clock = clock;
        _future = context.OpenTrace().GetEnumerator();
        _hasNext = _future.MoveNext();
    }

    public string Name => PolicyName;

    public IDistributedCache Cache => _context.Inner;

    public LibraryFigures? Library => null;

    public void OnRequest(in TraceRequest request, bool hit)
    {
    }

    public Task OnCycleAsync()
    {
        long now = _context.Time.GetUtcNow().UtcTicks;
        long sliceEnd = now + _context.Settings.CycleInterval.Ticks;
        long lookaheadEnd = now + _context.Settings.OracleLookahead.Ticks;
        _written.Clear();
        _prefetched.Clear();
        while (_hasNext)
        {
            TraceRequest request = _future.Current;
            long at = _clock.ToTicks(request.TimeSeconds);
            if (at >= sliceEnd)
            {
                break;
            }

            _hasNext = _future.MoveNext();
            bool known = !_seen.Add(request.Key);
            if (request.Operation != TraceOperation.Read)
            {
                _written.Add(request.Key);
                continue;
            }

            // Only the first read of a key in the slice matters: a later one finds whatever the first one left.
            if (!_prefetched.Add(request.Key) || !known || at > lookaheadEnd || _written.Contains(request.Key))
            {
                continue;
            }

            bool present = _context.Inner.TryPeek(request.Key, out _, out long expires) && expires > at;
            if (!present && _context.Origin.TryLoadForPrefetch(request.Key, _context.Inner, out byte[] value, out DistributedCacheEntryOptions options))
            {
                _context.Inner.Set(request.Key, value, options);
            }
        }

        return Task.CompletedTask;
    }

    public Task FinishAsync() => Task.CompletedTask;

    public ValueTask DisposeAsync()
    {
        _future.Dispose();
        return ValueTask.CompletedTask;
    }
}
