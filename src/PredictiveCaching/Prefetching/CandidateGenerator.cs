using Microsoft.Extensions.Options;
using PredictiveCaching.Prediction;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Prefetching;

/// <summary>
/// Proposes the keys worth scoring in a cycle, incrementally: it looks only at the reads since the last cycle and at
/// a schedule of keys whose next read falls due, never at every tracked key.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Rhythm: each read of a key with a known rhythm schedules one evaluation, just before its next read is due
/// (<see cref="LeadTicks"/> ahead, so a refreshed copy is in place); a newer read supersedes it.</item>
/// <item>Successors: the keys that tend to follow a key just read, with the share of reads they followed as evidence.</item>
/// <item>Co-access: the keys usually read within the co-access window of a key whose episode of reads just started
/// (see <see cref="CoAccess"/>), with the share of its episodes they were read in as evidence.</item>
/// <item>Sequential: after <c>page:40</c> then <c>page:41</c>, <c>page:42</c>, with how often sequences of that prefix
/// continued as evidence, once runs of that prefix have been seen to reach a third member; a member above every one
/// ever read only once runs have been seen to go past where earlier runs ended.</item>
/// <item>Expiry: each copy read is evaluated once, shortly before it expires (<see cref="ExpiryDecisions"/>).</item>
/// </list>
/// Single consumer: only the prefetch cycle calls it.
/// </remarks>
internal sealed class CandidateGenerator
{
    private const int MaxSequencePrefixes = 4096;

    // Runs that reached a third member (and, past the highest member seen, runs that went past an earlier run's end)
    // before the next member of a prefix is proposed.
    private const int MinSequenceEvidence = 2;

    private readonly AccessTracker _tracker;
    private readonly RecentReads _recentReads;
    private readonly long _successorGapTicks;
    private readonly long _cycleTicks;
    private readonly int _maxScheduled;
    private readonly List<ReadHint> _drained = [];
    private ReadHint _lastLinked;
    private readonly HashSet<KeyAccessStatistics> _seen = new(ReferenceEqualityComparer.Instance);
    private readonly PriorityQueue<(KeyAccessStatistics Entry, long ReadTicks), long> _schedule = new();
    private readonly Dictionary<string, SequenceCounts> _sequences = new(StringComparer.Ordinal);
    private readonly SuccessorLink[] _links;
    private readonly ExpiryDecisions _expiries;
    private readonly CoAccess _coAccess;
    private readonly PrefetchMechanisms _mechanisms;

    public CandidateGenerator(AccessTracker tracker, RecentReads recentReads, IOptions<PredictiveLoadingOptions> options)
    {
        _tracker = tracker;
        _recentReads = recentReads;
        _successorGapTicks = options.Value.Tracking.SuccessorGap.Ticks;
        _cycleTicks = options.Value.Prefetch.CycleInterval.Ticks;
        _maxScheduled = 2 * options.Value.Tracking.MaxTrackedKeys;
        _links = new SuccessorLink[Math.Max(1, options.Value.Tracking.MaxSuccessors)];
        _expiries = new ExpiryDecisions(2 * _cycleTicks, _maxScheduled);
        _coAccess = new CoAccess(tracker, options.Value.Tracking);
        _mechanisms = options.Value.Prefetch.Mechanisms;
    }

    public ExpiryDecisions Expiries => _expiries;

    public int Scheduled => _schedule.Count;

    /// <summary>
    /// How long before a key's predicted read its copy should be refreshed: enough to cover the spread of its rhythm
    /// and two cycles, but less than half its time to live so the refreshed copy outlives the read.
    /// </summary>
    public long LeadTicks(double meanSeconds, double standardDeviationSeconds, long timeToLiveTicks)
    {
        double sigma = HeuristicAccessPredictor.FloorSigma(meanSeconds, standardDeviationSeconds);
        long lead = (long)(2 * sigma * TimeSpan.TicksPerSecond);
        if (timeToLiveTicks > 0)
        {
            lead = Math.Min(lead, timeToLiveTicks / 2);
        }

        return Math.Max(lead, 2 * _cycleTicks);
    }

    /// <summary>Re-evaluates a rhythm candidate later (it was too early, or could not start this cycle).</summary>
    public void Reschedule(KeyAccessStatistics entry, long dueTicks)
    {
        if (_schedule.Count < _maxScheduled)
        {
            _schedule.Enqueue((entry, entry.LastReadTicks), dueTicks);
        }
    }

    /// <summary>Proposes this cycle's candidates from the reads since the last cycle and the schedules that fell due.</summary>
    /// <param name="nowTicks">The cycle's time.</param>
    /// <param name="output">Receives the candidates.</param>
    public void Collect(long nowTicks, List<Candidate> output)
    {
        _drained.Clear();
        _seen.Clear();
        _recentReads.Drain(_drained);
        foreach (ReadHint read in _drained)
        {
            // Successor links are made here, in read order, rather than on the read path.
            if (_lastLinked.Entry is { } previous)
            {
                _tracker.Link(previous, _lastLinked.Ticks, read.Entry, read.Ticks);
            }

            _lastLinked = read;
        }

        if ((_mechanisms & PrefetchMechanisms.CoAccess) != 0)
        {
            _coAccess.Observe(_drained);
            _coAccess.AddCandidates(output);
        }

        foreach (ReadHint read in _drained)
        {
            KeyAccessStatistics entry = read.Entry;
            if (entry.IsEvicted || !_seen.Add(entry))
            {
                continue;
            }

            if ((_mechanisms & PrefetchMechanisms.Rhythm) != 0)
            {
                ScheduleRhythm(entry);
            }

            if ((_mechanisms & PrefetchMechanisms.Expiry) != 0)
            {
                _expiries.Observe(entry, nowTicks);
            }

            if ((_mechanisms & PrefetchMechanisms.Successors) != 0)
            {
                AddSuccessors(entry, output);
            }

            if ((_mechanisms & PrefetchMechanisms.Sequences) != 0)
            {
                AddSequential(entry, output);
            }
        }

        _expiries.Collect(nowTicks, output);

        while (_schedule.TryPeek(out (KeyAccessStatistics Entry, long ReadTicks) item, out long due) && due <= nowTicks)
        {
            _schedule.Dequeue();

            // A newer read of the key scheduled a newer evaluation; this one is stale.
            if (!item.Entry.IsEvicted && item.Entry.LastReadTicks == item.ReadTicks)
            {
                output.Add(new Candidate(item.Entry.Key, item.Entry, CandidateReason.Rhythm, 0d, false, -1));
            }
        }
    }

    private void ScheduleRhythm(KeyAccessStatistics entry)
    {
        if (entry.ReadCount < 2 || _schedule.Count >= _maxScheduled)
        {
            return;
        }

        double mean = entry.MeanIntervalSeconds;
        long next = entry.LastReadTicks + (long)(mean * TimeSpan.TicksPerSecond);
        long due = next - LeadTicks(mean, entry.IntervalStandardDeviation, entry.LastTimeToLiveTicks);
        _schedule.Enqueue((entry, entry.LastReadTicks), due);
    }

    private void AddSuccessors(KeyAccessStatistics entry, List<Candidate> output)
    {
        int count = entry.GetSuccessors(_links);
        long reads = Math.Max(1, entry.ReadCount);
        for (int i = 0; i < count; i++)
        {
            SuccessorLink link = _links[i];
            double share = Math.Min(1d, link.Count / (double)reads);
            output.Add(new Candidate(link.Successor.Key, link.Successor, CandidateReason.Successor, share, false, -1));
        }
    }

    private void AddSequential(KeyAccessStatistics entry, List<Candidate> output)
    {
        if (!SequenceKey.TryParse(entry.Key, out SequenceKey sequence))
        {
            return;
        }

        string previousKey = sequence.WithOffset(-1);
        KeyAccessStatistics? previous = null;
        bool continues = previousKey.Length > 0
            && _tracker.TryGet(previousKey, out previous)
            && Math.Abs(entry.LastReadTicks - previous.LastReadTicks) <= _successorGapTicks;

        // The run had reached at least its third member: evidence that runs of this prefix go on once started.
        bool extends = false;
        if (continues)
        {
            string beforeKey = sequence.WithOffset(-2);
            extends = beforeKey.Length > 0
                && _tracker.TryGet(beforeKey, out KeyAccessStatistics? before)
                && Math.Abs(previous!.LastReadTicks - before.LastReadTicks) <= _successorGapTicks;
        }

        string prefix = sequence.Prefix.ToString();
        if (!_sequences.TryGetValue(prefix, out SequenceCounts counts))
        {
            if (_sequences.Count >= MaxSequencePrefixes)
            {
                _sequences.Clear();
            }

            counts = new SequenceCounts { Highest = -1 };
        }

        counts = counts.Observe(sequence.Number, continues, extends);
        _sequences[prefix] = counts;
        if (!continues || counts.Extensions < MinSequenceEvidence)
        {
            return;
        }

        // Laplace-smoothed share of reads of this prefix that continued a sequence.
        double continuation = (counts.Continuations + 1d) / (counts.Reads + 2d);
        if (sequence.Number + 1 > counts.Highest)
        {
            // Past every member ever read: only when runs of this prefix have gone past the end of an earlier run (a
            // growing feed), never because one run simply went on (page:5, page:6 proposes page:7 that may not exist).
            if (counts.FrontierPassed < MinSequenceEvidence)
            {
                return;
            }

            continuation = Math.Min(continuation, (counts.FrontierPassed + 1d) / (counts.FrontierReached + 2d));
        }

        string nextKey = sequence.WithOffset(+1);
        _tracker.TryGet(nextKey, out KeyAccessStatistics? next);
        output.Add(new Candidate(nextKey, next, CandidateReason.Sequential, continuation, true, entry.LastSize));
    }

    /// <summary>What the reads of one sequence prefix have shown.</summary>
    private record struct SequenceCounts
    {
        public long Reads;
        public long Continuations;

        // Reads that continued a run already two members long.
        public long Extensions;
        public long Highest;
        public long Run;
        public long HighestRun;

        // A run reached the highest member an earlier run had set, and how often it then went past it.
        public long FrontierReached;
        public long FrontierPassed;

        public readonly SequenceCounts Observe(long number, bool continues, bool extends)
        {
            SequenceCounts next = this;
            next.Reads++;
            if (!continues)
            {
                next.Run++;
            }
            else
            {
                next.Continuations++;
                next.Extensions += extends ? 1 : 0;
                if (HighestRun != Run)
                {
                    next.FrontierReached += number == Highest ? 1 : 0;
                    next.FrontierPassed += number == Highest + 1 ? 1 : 0;
                }
            }

            if (number > Highest)
            {
                next.Highest = number;
                next.HighestRun = next.Run;
            }

            return next;
        }
    }
}
