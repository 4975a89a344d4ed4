using PredictiveCaching.Prefetching;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Loop.Candidates;

/// <summary>
/// Sequences: after <c>page:40</c> then <c>page:41</c>, <c>page:42</c>, with how often sequences of that prefix
/// continued as evidence, once runs of that prefix have been seen to reach a third member; a member above every one
/// ever read only once runs have been seen to go past where earlier runs ended.
/// </summary>
internal sealed class SequenceCandidates(AccessTracker tracker, long successorGapTicks) : ICandidateSource
{
    private const int MaxSequencePrefixes = 4096;

    // Runs that reached a third member (and, past the highest member seen, runs that went past an earlier run's end)
    // before the next member of a prefix is proposed.
    private const int MinSequenceEvidence = 2;

    private readonly Dictionary<string, SequenceCounts> _sequences = new(StringComparer.Ordinal);
    private char[] _buffer = new char[64];

    public void Collect(CycleReads reads, long nowTicks, List<Candidate> output)
    {
        foreach (KeyAccessStatistics entry in reads.Keys)
        {
            Propose(entry, output);
        }
    }

    private void Propose(KeyAccessStatistics entry, List<Candidate> output)
    {
        if (!SequenceKey.TryParse(entry.Key, out SequenceKey sequence))
        {
            return;
        }

        // Neighbours are looked up by their characters: most reads propose nothing, and none of them should allocate.
        int capacity = entry.Key.Length + 2;
        if (_buffer.Length < capacity)
        {
            _buffer = new char[Math.Max(capacity, 2 * _buffer.Length)];
        }

        KeyAccessStatistics? previous = null;
        bool continues = sequence.TryFormatWithOffset(-1, _buffer, out int length)
            && tracker.TryGet(_buffer.AsSpan(0, length), out previous)
            && Math.Abs(entry.LastReadTicks - previous.LastReadTicks) <= successorGapTicks;

        // The run had reached at least its third member: evidence that runs of this prefix go on once started.
        bool extends = false;
        if (continues)
        {
            extends = sequence.TryFormatWithOffset(-2, _buffer, out length)
                && tracker.TryGet(_buffer.AsSpan(0, length), out KeyAccessStatistics? before)
                && Math.Abs(previous!.LastReadTicks - before.LastReadTicks) <= successorGapTicks;
        }

        Dictionary<string, SequenceCounts>.AlternateLookup<ReadOnlySpan<char>> byPrefix = _sequences.GetAlternateLookup<ReadOnlySpan<char>>();
        ReadOnlySpan<char> prefix = sequence.Prefix;
        if (!byPrefix.TryGetValue(prefix, out SequenceCounts counts))
        {
            if (_sequences.Count >= MaxSequencePrefixes)
            {
                _sequences.Clear();
            }

            counts = new SequenceCounts { Highest = -1 };
        }

        counts = counts.Observe(sequence.Number, continues, extends);
        byPrefix[prefix] = counts;
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

        if (!sequence.TryFormatWithOffset(+1, _buffer, out length))
        {
            return;
        }

        tracker.TryGet(_buffer.AsSpan(0, length), out KeyAccessStatistics? next);
        string nextKey = next?.Key ?? new string(_buffer, 0, length);
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
