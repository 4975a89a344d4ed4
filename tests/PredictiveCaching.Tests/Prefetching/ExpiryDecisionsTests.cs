using Microsoft.Extensions.Caching.Distributed;
using PredictiveCaching.Loop.Candidates;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Tests.Fakes;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Tests.Prefetching;

public sealed class ExpiryDecisionsTests
{
    private static readonly long Second = TimeSpan.TicksPerSecond;
    private static readonly DistributedCacheEntryOptions Ttl60 = new() { AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(60) };

    [Fact]
    public void Observe_ManyReadsOfOneCopy_SchedulesOneEvaluation()
    {
        var decisions = new ExpiryDecisions(2 * Second, 1000);
        KeyAccessStatistics entry = Written("k", 0);
        for (int i = 1; i <= 10; i++)
        {
            entry.RecordRead(hit: true, 10, i * Second);
            decisions.Observe(entry, i * Second);
        }

        Assert.Equal(1, decisions.Scheduled);
    }

    [Fact]
    public void Collect_BeforeTheLead_ProposesNothing_AtTheLead_ProposesTheCopyOnce()
    {
        var decisions = new ExpiryDecisions(2 * Second, 1000);
        KeyAccessStatistics entry = Written("k", 0);
        entry.RecordRead(hit: true, 10, 5 * Second);
        decisions.Observe(entry, 5 * Second);
        var output = new List<Candidate>();

        decisions.Collect(57 * Second, output);
        Assert.Empty(output);

        decisions.Collect(58 * Second, output);
        Candidate candidate = Assert.Single(output);
        Assert.Equal(CandidateReason.Expiry, candidate.Reason);
        Assert.Same(entry, candidate.Entry);

        output.Clear();
        decisions.Collect(59 * Second, output);
        Assert.Empty(output);
    }

    [Fact]
    public void Estimate_LearnsFromOutcomes_KeysReadAfterExpiryRiseAndOthersFall()
    {
        var decisions = new ExpiryDecisions(2 * Second, 10_000);
        var output = new List<Candidate>();
        long now = 0;

        // Twenty rounds: "wanted:*" keys are read late in each copy's life and again after it expires; "dropped:*" keys
        // are read once early in the copy's life and never again.
        for (int round = 0; round < 20; round++)
        {
            var wanted = new List<KeyAccessStatistics>();
            var dropped = new List<KeyAccessStatistics>();
            for (int i = 0; i < 10; i++)
            {
                KeyAccessStatistics w = Written("wanted:" + round + ":" + i, now);
                w.RecordRead(hit: true, 10, now + (50 * Second));
                decisions.Observe(w, now + (50 * Second));
                wanted.Add(w);
                KeyAccessStatistics d = Written("dropped:" + round + ":" + i, now);
                d.RecordRead(hit: true, 10, now + (5 * Second));
                decisions.Observe(d, now + (5 * Second));
                dropped.Add(d);
            }

            output.Clear();
            decisions.Collect(now + (58 * Second), output);
            Assert.Equal(20, output.Count);
            if (round >= 10)
            {
                foreach (Candidate candidate in output)
                {
                    bool isWanted = candidate.Key.StartsWith("wanted:", StringComparison.Ordinal);
                    Assert.True(isWanted ? candidate.Prior > 0.8 : candidate.Prior < 0.2, candidate.Key + " " + candidate.Prior);
                }
            }

            // Wanted keys are read 10 s after their copies expired; the window (the copy's life, 60 s) then closes.
            foreach (KeyAccessStatistics w in wanted)
            {
                w.RecordRead(hit: false, 10, now + (70 * Second));
            }

            decisions.Collect(now + (121 * Second), output);
            now += 200 * Second;
        }

        Assert.True(decisions.Bins.Observations >= 380);
        Assert.Equal(0, decisions.PendingLabels);
    }

    [Fact]
    public void Collect_SlidingRenewal_EvaluatesTheRenewedExpiryInstead()
    {
        var decisions = new ExpiryDecisions(2 * Second, 1000);
        var entry = new KeyAccessStatistics("k");
        entry.RecordWrite(10, new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromSeconds(60) }, 0, prefetched: false);
        entry.RecordRead(hit: true, 10, 1 * Second);
        decisions.Observe(entry, 1 * Second);

        // A hit at 30 s renews the copy until 90 s: the evaluation due at 59 s is moved to 88 s.
        entry.RecordRead(hit: true, 10, 30 * Second);
        var output = new List<Candidate>();
        decisions.Collect(59 * Second, output);
        Assert.Empty(output);
        decisions.Collect(88 * Second, output);
        Assert.Single(output);
    }

    [Fact]
    public void Collect_EvictedOrRemovedCopies_AreNotProposed()
    {
        var decisions = new ExpiryDecisions(2 * Second, 1000);
        KeyAccessStatistics removed = Written("removed", 0);
        removed.RecordRead(hit: true, 10, Second);
        decisions.Observe(removed, Second);
        removed.RecordRemove();
        var output = new List<Candidate>();

        decisions.Collect(100 * Second, output);

        Assert.Empty(output);
    }

    [Fact]
    public async Task Loop_KeyReadEvery70sWith60sTtl_IsRefreshedAtExpiryOnceLearned()
    {
        await using LoopHarness h = LoopHarness.Create();
        TimeSpan ttl = TimeSpan.FromSeconds(60);
        int hitsLate = 0;
        for (int i = 0; i < 30; i++)
        {
            // Ten keys on the same rhythm, so the situation is learned from several of them at once.
            for (int k = 0; k < 10; k++)
            {
                bool hit = await h.ReadAsync("report:" + k, ttl);
                if (i >= 20 && hit)
                {
                    hitsLate++;
                }
            }

            await h.AdvanceAsync(TimeSpan.FromSeconds(70));
        }

        PredictiveLoaderStatus status = h.Loader.GetStatus();
        Assert.True(hitsLate >= 80, $"hits in the last ten rounds: {hitsLate} of 100; used {status.PrefetchesUsed}, wasted {status.PrefetchesWasted}");
    }

    [Fact]
    public void Estimate_BeforeAnyOutcome_ACopyReadSeveralTimesLateIsLikelierWantedThanOneReadOnceLate()
    {
        var bins = new ExpiryOutcomeBins();
        KeyAccessStatistics once = Written("once", 0);
        once.RecordRead(hit: true, 10, 55 * Second);
        KeyAccessStatistics several = Written("several", 0);
        several.RecordRead(hit: true, 10, 20 * Second);
        several.RecordRead(hit: true, 10, 55 * Second);
        KeyAccessStatistics early = Written("early", 0);
        early.RecordRead(hit: true, 10, 5 * Second);

        double onceLate = bins.Estimate(ExpiryOutcomeBins.BinOf(once, 60 * Second, 60 * Second));
        double severalLate = bins.Estimate(ExpiryOutcomeBins.BinOf(several, 60 * Second, 60 * Second));
        double readEarly = bins.Estimate(ExpiryOutcomeBins.BinOf(early, 60 * Second, 60 * Second));

        Assert.True(severalLate > onceLate && onceLate > readEarly, $"several late {severalLate}, once late {onceLate}, early {readEarly}");
        Assert.True(severalLate >= 0.7, $"several late {severalLate}: a copy read again late in its life starts above Balanced's threshold");
        Assert.True(onceLate < 0.7, $"once late {onceLate}: one late read alone waits for evidence under Balanced");
    }

    private static KeyAccessStatistics Written(string key, long nowTicks)
    {
        var entry = new KeyAccessStatistics(key);
        entry.RecordWrite(10, Ttl60, nowTicks, prefetched: false);
        return entry;
    }
}
