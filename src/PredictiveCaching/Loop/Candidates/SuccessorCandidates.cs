using PredictiveCaching.Prefetching;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Loop.Candidates;

/// <summary>Successors: the keys that tend to follow a key just read, with the share of its reads they followed as evidence.</summary>
internal sealed class SuccessorCandidates(int maxSuccessors) : ICandidateSource
{
    private readonly SuccessorLink[] _links = new SuccessorLink[Math.Max(1, maxSuccessors)];

    public void Collect(CycleReads reads, long nowTicks, List<Candidate> output)
    {
        foreach (KeyAccessStatistics entry in reads.Keys)
        {
            int count = entry.GetSuccessors(_links);
            long readCount = Math.Max(1, entry.ReadCount);
            for (int i = 0; i < count; i++)
            {
                SuccessorLink link = _links[i];
                double share = Math.Min(1d, link.Count / (double)readCount);
                output.Add(new Candidate(link.Successor.Key, link.Successor, CandidateReason.Successor, share, false, -1));
            }
        }
    }
}
