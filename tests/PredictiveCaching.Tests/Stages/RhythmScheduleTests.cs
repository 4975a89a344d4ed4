using Microsoft.Extensions.Caching.Distributed;
using PredictiveCaching.Loop.Candidates;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Tests.Stages;

/// <summary>The rhythm candidate source alone.</summary>
public sealed class RhythmScheduleTests
{
    private static readonly long Second = TimeSpan.TicksPerSecond;

    [Fact]
    public void LeadTicks_AtLeastTwoCycles_AtMostHalfTheTimeToLive()
    {
        var rhythm = new RhythmSchedule(cycleTicks: Second, maxScheduled: 100);

        Assert.Equal(2 * Second, rhythm.LeadTicks(meanSeconds: 600, standardDeviationSeconds: 300, timeToLiveTicks: Second));
        Assert.Equal(5 * Second, rhythm.LeadTicks(meanSeconds: 600, standardDeviationSeconds: 300, timeToLiveTicks: 10 * Second));
        Assert.True(rhythm.LeadTicks(meanSeconds: 600, standardDeviationSeconds: 300, timeToLiveTicks: 0) > 10 * Second);
    }

    [Fact]
    public void Collect_ProposesAKeyBeforeItsNextRead_AndDropsAnEvaluationANewerReadSuperseded()
    {
        var rhythm = new RhythmSchedule(cycleTicks: Second, maxScheduled: 100);
        var entry = new KeyAccessStatistics("k");
        entry.RecordWrite(10, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(30) }, 0, prefetched: false);
        for (int i = 0; i <= 3; i++)
        {
            entry.RecordRead(hit: true, 10, i * 60 * Second);
        }

        var reads = new CycleReads();
        var recent = new RecentReads();
        recent.Add(entry, 180 * Second);
        reads.DrainFrom(recent);
        var output = new List<Candidate>();
        rhythm.Collect(reads, 180 * Second, output);
        Assert.Empty(output);
        Assert.Equal(1, rhythm.Scheduled);

        rhythm.Collect(new CycleReads(), 239 * Second, output);
        Candidate proposed = Assert.Single(output);
        Assert.Equal(CandidateReason.Rhythm, proposed.Reason);

        // A read after the evaluation was scheduled makes it stale.
        rhythm.Reschedule(entry, 250 * Second);
        entry.RecordRead(hit: true, 10, 245 * Second);
        output.Clear();
        rhythm.Collect(new CycleReads(), 251 * Second, output);
        Assert.Empty(output);
    }
}
