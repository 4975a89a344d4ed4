using PredictiveCaching.Prefetching;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Loop.Candidates;

/// <summary>What a cycle does with a candidate before scoring it.</summary>
internal enum PresenceCheck
{
    /// <summary>No copy is known to serve the read: score it.</summary>
    Score,

    /// <summary>A copy (ours, or one another instance wrote) will still be there when the read is expected.</summary>
    Present,

    /// <summary>A rhythm candidate proposed before its refresh is due: evaluated again then.</summary>
    Deferred,
}

/// <summary>
/// Drops the candidates whose copy will serve the read anyway, before any scoring: each mechanism's read is expected at
/// a different time (the rhythm's next read; co-access and expiry carry their own check; the others within two cycles).
/// </summary>
internal sealed class CandidatePresence(CandidateExpiries expiries, CandidateCollector collector)
{
    /// <param name="candidate">The candidate, its tracker entry attached when there is one.</param>
    /// <param name="nowTicks">The cycle's time.</param>
    /// <param name="presenceHorizonTicks">Two cycles from now: a copy present then needs no refresh this cycle.</param>
    public PresenceCheck Check(in Candidate candidate, long nowTicks, long presenceHorizonTicks)
    {
        // A copy written by another instance, found by the expiry lookup, serves the read as well as our own.
        if (expiries.CoversRead(in candidate, presenceHorizonTicks))
        {
            return PresenceCheck.Present;
        }

        KeyAccessStatistics? entry = candidate.Entry;
        if (entry is null)
        {
            return PresenceCheck.Score;
        }

        switch (candidate.Reason)
        {
            // Proposed with their own check: a copy about to expire; a partner missing or expiring within the window
            // in which its read is expected.
            case CandidateReason.Expiry or CandidateReason.CoAccess:
                return PresenceCheck.Score;
            case CandidateReason.Rhythm:
                double mean = entry.MeanIntervalSeconds;
                long nextRead = entry.LastReadTicks + (long)(mean * TimeSpan.TicksPerSecond);
                if (entry.IsExpectedPresentAt(nextRead))
                {
                    return PresenceCheck.Present;
                }

                long refreshAt = nextRead - collector.Rhythm.LeadTicks(mean, entry.IntervalStandardDeviation, entry.LastTimeToLiveTicks);

                // A copy that expires before the read is refreshed only as it expires, never while it still serves: an
                // earlier refresh would start the new copy's life early and end it before reads the old one would have
                // been followed by a fresh miss-and-load for.
                long expiry = entry.ExpectedExpiryTicks;
                if (entry.IsPresent && expiry != KeyAccessStatistics.NoExpiry)
                {
                    refreshAt = Math.Max(refreshAt, expiry - (presenceHorizonTicks - nowTicks));
                }

                if (nowTicks < refreshAt)
                {
                    collector.Rhythm.Reschedule(entry, refreshAt);
                    return PresenceCheck.Deferred;
                }

                return PresenceCheck.Score;
            default:
                return entry.IsExpectedPresentAt(presenceHorizonTicks) ? PresenceCheck.Present : PresenceCheck.Score;
        }
    }
}
