using PredictiveCaching.Prefetching;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Loop.Candidates;

/// <summary>
/// Decides once per copy, shortly before it expires, whether it is worth refreshing: the chance that the key is read
/// within the life a refreshed copy would have (the copy's own, at most a day), estimated from what
/// followed earlier expiries in the same situation. Copies are found from the reads the cycle drains and kept in a
/// schedule by due time; nothing scans the tracked keys.
/// </summary>
/// <remarks>
/// Every evaluated expiry is labelled once its window has passed, whether the copy was refreshed or not (a read of the
/// key after the expiry, hit or miss, says it was wanted), so the estimate learns from every decision, not only from
/// the refreshes it chose. Single consumer: only the prefetch cycle calls it.
/// </remarks>
internal sealed class ExpiryDecisions : ICandidateSource
{
    private readonly PriorityQueue<Evaluation, long> _evaluations = new();
    private readonly Dictionary<KeyAccessStatistics, long> _scheduled = new(ReferenceEqualityComparer.Instance);
    private readonly PriorityQueue<Label, long> _labels = new();
    private readonly ExpiryOutcomeBins _bins = new();
    private readonly long _leadTicks;
    private readonly int _maxPending;

    /// <param name="leadTicks">How long before the expiry a copy is evaluated, so that a refresh lands before it.</param>
    /// <param name="maxPending">Bound of the evaluations and of the labels waiting, each.</param>
    public ExpiryDecisions(long leadTicks, int maxPending)
    {
        _leadTicks = leadTicks;
        _maxPending = maxPending;
    }

    public int Scheduled => _evaluations.Count;

    public int PendingLabels => _labels.Count;

    internal ExpiryOutcomeBins Bins => _bins;

    public void Collect(CycleReads reads, long nowTicks, List<Candidate> output)
    {
        foreach (KeyAccessStatistics entry in reads.Keys)
        {
            Observe(entry, nowTicks);
        }

        Collect(nowTicks, output);
    }

    /// <summary>Schedules the evaluation of the copy <paramref name="entry"/> holds, once per copy (its expiry).</summary>
    public void Observe(KeyAccessStatistics entry, long nowTicks)
    {
        long expiry = entry.ExpectedExpiryTicks;
        if (expiry == KeyAccessStatistics.NoExpiry || expiry <= nowTicks || !entry.IsPresent || _evaluations.Count >= _maxPending)
        {
            return;
        }

        if (_scheduled.TryGetValue(entry, out long scheduled) && scheduled == expiry)
        {
            return;
        }

        _scheduled[entry] = expiry;
        _evaluations.Enqueue(new Evaluation(entry, expiry), expiry - _leadTicks);
    }

    /// <summary>Labels the decisions whose window has passed, then proposes the copies due for evaluation.</summary>
    /// <param name="nowTicks">The cycle's time.</param>
    /// <param name="output">Receives one <see cref="CandidateReason.Expiry"/> candidate per copy due, its prior the estimate.</param>
    public void Collect(long nowTicks, List<Candidate> output)
    {
        while (_labels.TryPeek(out Label label, out long due) && due <= nowTicks)
        {
            _labels.Dequeue();
            if (label.Entry.IsEvicted)
            {
                continue;
            }

            bool read = label.Entry.LastReadTicks >= label.ExpiryTicks;
            _bins.Record(label.Bin, read);
            label.Entry.LastExpiryOutcome = read ? (sbyte)1 : (sbyte)-1;
        }

        while (_evaluations.TryPeek(out Evaluation evaluation, out long due) && due <= nowTicks)
        {
            _evaluations.Dequeue();
            KeyAccessStatistics entry = evaluation.Entry;
            if (_scheduled.TryGetValue(entry, out long scheduled) && scheduled == evaluation.ExpiryTicks)
            {
                _scheduled.Remove(entry);
            }

            if (entry.IsEvicted || !entry.IsPresent)
            {
                continue;
            }

            long expiry = entry.ExpectedExpiryTicks;
            if (expiry != evaluation.ExpiryTicks)
            {
                // A sliding renewal moved the expiry (a rewrite schedules anew when it is read): evaluate the new one.
                if (expiry != KeyAccessStatistics.NoExpiry && expiry > nowTicks && _evaluations.Count < _maxPending && !_scheduled.ContainsKey(entry))
                {
                    _scheduled[entry] = expiry;
                    _evaluations.Enqueue(new Evaluation(entry, expiry), expiry - _leadTicks);
                }

                continue;
            }

            long life = Math.Max(1, expiry - entry.CopyWrittenTicks);
            int bin = ExpiryOutcomeBins.BinOf(entry, expiry, life);
            double probability = _bins.Estimate(bin);
            if (_labels.Count < _maxPending)
            {
                // The window is the life a refreshed copy would have (at most a day): a read anywhere in it is one the refresh
                // serves. Labelled only once it has closed, so that reads, which come early, do not bias the estimate up.
                _labels.Enqueue(new Label(entry, expiry, bin), expiry + Math.Min(life, TimeSpan.TicksPerDay));
            }

            output.Add(new Candidate(entry.Key, entry, CandidateReason.Expiry, probability, false, -1));
        }
    }

    private readonly record struct Evaluation(KeyAccessStatistics Entry, long ExpiryTicks);

    private readonly record struct Label(KeyAccessStatistics Entry, long ExpiryTicks, int Bin);
}
