using PredictiveCaching.Prediction;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Loop.Candidates;

/// <summary>
/// Rhythm: each read of a key with a known rhythm schedules one evaluation, <see cref="LeadTicks"/> before its next
/// read is due so that a refreshed copy is in place; a newer read of the key supersedes it.
/// </summary>
internal sealed class RhythmSchedule : ICandidateSource
{
    private readonly PriorityQueue<(KeyAccessStatistics Entry, long ReadTicks), long> _schedule = new();
    private readonly long _cycleTicks;
    private readonly int _maxScheduled;

    /// <param name="cycleTicks">The cycle interval: the smallest lead, so that a refresh can start in time.</param>
    /// <param name="maxScheduled">Bound of the evaluations waiting.</param>
    public RhythmSchedule(long cycleTicks, int maxScheduled)
    {
        _cycleTicks = cycleTicks;
        _maxScheduled = maxScheduled;
    }

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

    /// <summary>Re-evaluates a key later (it was too early, or could not start this cycle).</summary>
    public void Reschedule(KeyAccessStatistics entry, long dueTicks)
    {
        if (_schedule.Count < _maxScheduled)
        {
            _schedule.Enqueue((entry, entry.LastReadTicks), dueTicks);
        }
    }

    public void Collect(CycleReads reads, long nowTicks, List<Candidate> output)
    {
        foreach (KeyAccessStatistics entry in reads.Keys)
        {
            Schedule(entry);
        }

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

    private void Schedule(KeyAccessStatistics entry)
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
}
