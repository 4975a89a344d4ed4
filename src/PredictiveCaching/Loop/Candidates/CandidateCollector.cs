using Microsoft.Extensions.Options;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Loop.Candidates;

/// <summary>
/// The candidate stage: drains the reads since the last cycle, makes the successor links in read order (off the read
/// path), and asks each enabled <see cref="ICandidateSource"/> in turn (application hints, co-access, successors,
/// sequences, expiry decisions, rhythm) for the keys worth scoring.
/// </summary>
/// <remarks>Single consumer: only the prefetch cycle calls it, under its gate.</remarks>
internal sealed class CandidateCollector
{
    private readonly AccessTracker _tracker;
    private readonly RecentReads _recentReads;
    private readonly CycleReads _reads = new();
    private readonly ICandidateSource[] _sources;
    private ReadHint _lastLinked;

    public CandidateCollector(AccessTracker tracker, RecentReads recentReads, ApplicationHints hints, IOptions<PredictiveLoadingOptions> options)
    {
        _tracker = tracker;
        _recentReads = recentReads;
        PredictiveLoadingOptions value = options.Value;
        long cycleTicks = value.Prefetch.CycleInterval.Ticks;
        int maxScheduled = 2 * value.Tracking.MaxTrackedKeys;
        Rhythm = new RhythmSchedule(cycleTicks, maxScheduled);
        Expiries = new ExpiryDecisions(2 * cycleTicks, maxScheduled);

        // The order is the order in which a key proposed twice keeps its first reason.
        PrefetchMechanisms mechanisms = value.Prefetch.Mechanisms;
        var sources = new List<ICandidateSource> { hints };
        if ((mechanisms & PrefetchMechanisms.CoAccess) != 0)
        {
            sources.Add(new CoAccess(tracker, value.Tracking));
        }

        if ((mechanisms & PrefetchMechanisms.Successors) != 0)
        {
            sources.Add(new SuccessorCandidates(value.Tracking.MaxSuccessors));
        }

        if ((mechanisms & PrefetchMechanisms.Sequences) != 0)
        {
            sources.Add(new SequenceCandidates(tracker, value.Tracking.SuccessorGap.Ticks));
        }

        if ((mechanisms & PrefetchMechanisms.Expiry) != 0)
        {
            sources.Add(Expiries);
        }

        if ((mechanisms & PrefetchMechanisms.Rhythm) != 0)
        {
            sources.Add(Rhythm);
        }

        _sources = [.. sources];
    }

    /// <summary>Gets the rhythm schedule (the cycle defers and retries rhythm candidates through it).</summary>
    public RhythmSchedule Rhythm { get; }

    /// <summary>Gets the expiry decisions (labelled outcomes; tests and diagnostics).</summary>
    public ExpiryDecisions Expiries { get; }

    /// <summary>Proposes this cycle's candidates from the reads since the last cycle and the schedules that fell due.</summary>
    public void Collect(long nowTicks, List<Candidate> output)
    {
        _reads.DrainFrom(_recentReads, _tracker);
        foreach (ReadHint read in _reads.All)
        {
            if (_lastLinked.Entry is { } previous)
            {
                _tracker.Link(previous, _lastLinked.Ticks, read.Entry, read.Ticks);
            }

            _lastLinked = read;
        }

        foreach (ICandidateSource source in _sources)
        {
            source.Collect(_reads, nowTicks, output);
        }
    }
}
