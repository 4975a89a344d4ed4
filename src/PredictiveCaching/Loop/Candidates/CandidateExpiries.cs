using PredictiveCaching.Prefetching;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Loop.Candidates;

/// <summary>
/// What <see cref="IExpiryLookup"/> says about the copies of this cycle's candidates that the tracker does not know
/// to be present (written by another instance): filled by one asynchronous pre-pass before scoring, so scoring stays
/// synchronous per candidate. Single consumer: the prefetch cycle, under its gate.
/// </summary>
internal sealed class CandidateExpiries(IExpiryLookup lookup, AccessTracker tracker)
{
    private readonly List<string> _keys = [];
    private readonly Dictionary<string, long> _expiries = new(StringComparer.Ordinal);
    private TimeSpan?[] _remaining = [];

    /// <summary>Looks up the candidates that the tracker does not expect to be present at <paramref name="horizonTicks"/>.</summary>
    public async Task RefreshAsync(List<Candidate> candidates, long nowTicks, long horizonTicks, CancellationToken cancellationToken)
    {
        _expiries.Clear();
        if (!lookup.IsEnabled)
        {
            return;
        }

        _keys.Clear();
        foreach (Candidate candidate in candidates)
        {
            KeyAccessStatistics? entry = candidate.Entry;
            if (entry is null)
            {
                tracker.TryGet(candidate.Key, out entry);
            }

            if (candidate.Key.Length > 0 && (entry is null || !entry.IsExpectedPresentAt(horizonTicks)))
            {
                _keys.Add(candidate.Key);
            }
        }

        if (_keys.Count == 0)
        {
            return;
        }

        if (_remaining.Length < _keys.Count)
        {
            _remaining = new TimeSpan?[Math.Max(_keys.Count, 2 * _remaining.Length)];
        }

        try
        {
            await lookup.LookupAsync(_keys, _remaining, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Lookups report an unreachable cache as unknown; one that throws anyway leaves every copy unknown,
            // which is what the cycle would assume without a lookup.
            return;
        }

        for (int i = 0; i < _keys.Count; i++)
        {
            if (_remaining[i] is { } left)
            {
                _expiries[_keys[i]] = left == Timeout.InfiniteTimeSpan || left.Ticks >= long.MaxValue - nowTicks
                    ? KeyAccessStatistics.NoExpiry
                    : nowTicks + Math.Max(0, left.Ticks);
            }
        }
    }

    /// <summary>Returns whether a copy found by the lookup will still be there when the candidate's read is expected.</summary>
    public bool CoversRead(in Candidate candidate, long presenceHorizon)
    {
        if (_expiries.Count == 0 || !_expiries.TryGetValue(candidate.Key, out long expiry))
        {
            return false;
        }

        long readAt = candidate.Reason == CandidateReason.Rhythm && candidate.Entry is { } entry
            ? entry.LastReadTicks + (long)(entry.MeanIntervalSeconds * TimeSpan.TicksPerSecond)
            : presenceHorizon;
        return expiry > readAt;
    }

    /// <summary>Forgets the lookup, so that scoring outside the cycle (warming) never uses a stale one.</summary>
    public void Clear() => _expiries.Clear();
}
