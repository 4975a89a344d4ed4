using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Options;
using PredictiveCaching.Loop.Candidates;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Tests.Fakes;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Tests.Stages;

/// <summary>The presence check between the candidate sources and scoring, and how the cycle treats a key proposed twice.</summary>
public sealed class CandidatePresenceTests
{
    private static readonly long Second = TimeSpan.TicksPerSecond;

    [Fact]
    public void Rhythm_CopyExpiringBeforeTheNextRead_IsRefreshedAsItExpires_NotWhileItStillServes()
    {
        IOptions<PredictiveLoadingOptions> options = Options.Create(new PredictiveLoadingOptions());
        var tracker = new AccessTracker(options);
        var collector = new CandidateCollector(tracker, new RecentReads(), new ApplicationHints(tracker), options);
        var presence = new CandidatePresence(new CandidateExpiries(new NoExpiryLookup(), tracker), collector);

        // Reads at 0, 40 and 200 s: the next is due at 300 s with a wide spread, so the rhythm's lead (half the copy's
        // 80 s life) would refresh at 260 s; the copy written at 200 s serves until 280 s.
        var entry = new KeyAccessStatistics("k");
        entry.RecordRead(hit: false, 10, 0);
        entry.RecordRead(hit: false, 10, 40 * Second);
        entry.RecordWrite(10, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(80) }, 200 * Second, prefetched: false);
        entry.RecordRead(hit: true, 10, 200 * Second);
        var candidate = new Candidate("k", entry, CandidateReason.Rhythm, 0d, false, -1);

        long early = 261 * Second;
        Assert.Equal(PresenceCheck.Deferred, presence.Check(in candidate, early, early + (2 * Second)));
        Assert.Equal(1, collector.Rhythm.Scheduled);

        long expiring = 278 * Second;
        Assert.Equal(PresenceCheck.Score, presence.Check(in candidate, expiring, expiring + (2 * Second)));
    }

    [Fact]
    public async Task KeyProposedTwice_FirstReasonBelowThreshold_SecondConfident_IsPrefetched()
    {
        await using LoopHarness h = LoopHarness.Create();
        await h.LearnSuccessorAsync("a", "b");
        h.Time.Advance(TimeSpan.FromSeconds(2)); // let any copy of "b" prefetched during set-up expire
        int loadsBefore = h.Origin.LoadsOf("b");

        // The hint comes first in the source order and is far below the threshold; the successor link is confident.
        Assert.Equal(1, h.Loader.ExpectReads(["b"], probability: 0.05));
        await h.ReadAsync("a", TimeSpan.FromMinutes(5));
        PrefetchCycleResult result = await h.CycleAsync();

        Assert.Equal(1, result.Started);
        Assert.Equal(loadsBefore + 1, h.Origin.LoadsOf("b"));
        Assert.True(await h.ReadAsync("b", TimeSpan.FromSeconds(1)));
    }
}
