using PredictiveCaching.Loop.Candidates;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Tracking;
using Xunit.Abstractions;

namespace PredictiveCaching.Tests.Prefetching;

public sealed class CoAccessTests(ITestOutputHelper output)
{
    private static readonly long Start = new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero).UtcTicks;

    private readonly TrackingOptions _options = new() { MaxTrackedBytes = 1L << 30 };

    [Fact]
    public void InterleavedClients_PageProposesItsImages_AndNoCrossPagePartnerIsConfident()
    {
        // 40 pages with 5 images each; 800 visits by 50 clients, one starting every 15 s on average, each reading its
        // page and the images in a random order over 10 s, so visits overlap and every window holds other clients' reads.
        var (tracker, sut) = Create();
        var random = new Random(1995);
        var reads = new List<(long Ticks, string Key)>();
        for (int visit = 0; visit < 800; visit++)
        {
            int page = random.Next(40);
            long begin = Start + ((visit * 15L) + random.Next(8)) * TimeSpan.TicksPerSecond;
            reads.Add((begin + (random.Next(10) * TimeSpan.TicksPerSecond), $"page{page}"));
            for (int image = 0; image < 5; image++)
            {
                reads.Add((begin + (random.Next(10) * TimeSpan.TicksPerSecond), $"img{page}-{image}"));
            }
        }

        reads.Sort(static (a, b) => a.Ticks.CompareTo(b.Ticks));
        foreach ((long ticks, string key) in reads)
        {
            Read(tracker, sut, key, ticks);
        }

        double weakestImage = 1d;
        double strongestCross = 0d;
        var links = new CoAccessLink[_options.MaxPartners];
        for (int page = 0; page < 40; page++)
        {
            Assert.True(tracker.TryGet($"page{page}", out KeyAccessStatistics? entry));
            CoAccessPartners partners = entry.Partners!;
            int count = partners.GetConfident(links, _options.MinCoAccessCount);
            for (int image = 0; image < 5; image++)
            {
                string imageKey = $"img{page}-{image}";
                CoAccessLink? link = null;
                for (int i = 0; i < count; i++)
                {
                    if (links[i].Partner.Key == imageKey)
                    {
                        link = links[i];
                    }
                }

                Assert.True(link is not null, $"page{page} lost {imageKey} (episodes {partners.Episodes}, count {(tracker.TryGet(imageKey, out KeyAccessStatistics? img) ? partners.CountOf(img) : -1)})");
                weakestImage = Math.Min(weakestImage, link.Value.Confidence);
            }

            for (int i = 0; i < count; i++)
            {
                if (!links[i].Partner.Key.StartsWith($"img{page}-", StringComparison.Ordinal))
                {
                    strongestCross = Math.Max(strongestCross, links[i].Confidence);
                }
            }
        }

        output.WriteLine($"weakest page→image confidence {weakestImage:F2}, strongest cross-page {strongestCross:F2}");
        // Every image passes the Balanced strategy's threshold (0.7); no other page's key reaches Aggressive's (0.5).
        Assert.True(weakestImage >= 0.7, $"weakest page→image confidence {weakestImage:F2}");
        Assert.True(strongestCross < 0.5, $"strongest cross-page confidence {strongestCross:F2}");
    }

    [Fact]
    public void StableHash_IsAFunctionOfTheKeyAlone_TheSameInEveryProcess()
    {
        // FNV-1a of "page1" over UTF-16 code units, low bit set: a constant, unlike object or string hash codes, which
        // .NET randomises per process — the doorkeeper built on it made partner tables differ from run to run.
        Assert.Equal(new KeyAccessStatistics("page1").StableHash, new KeyAccessStatistics("page1").StableHash);
        Assert.Equal(unchecked((int)0xEDF0FDC5u), new KeyAccessStatistics("page1").StableHash);
    }

    [Fact]
    public void EitherOrder_PartnerReadBeforeTheKey_IsCounted()
    {
        var (tracker, sut) = Create();
        for (int episode = 0; episode < 5; episode++)
        {
            long t = Start + (episode * TimeSpan.TicksPerMinute * 5);
            Read(tracker, sut, "b", t);
            Read(tracker, sut, "a", t + (20 * TimeSpan.TicksPerSecond));
        }

        Assert.True(tracker.TryGet("a", out KeyAccessStatistics? a));
        Assert.True(tracker.TryGet("b", out KeyAccessStatistics? b));

        // Tables start with the second episode: four episodes each, b read in all of a's, a in all of b's.
        Assert.Equal(4, a.Partners!.Episodes);
        Assert.Equal(4, a.Partners.CountOf(b));
        Assert.Equal(4, b.Partners!.CountOf(a));
    }

    [Fact]
    public void Episode_TenReadsWithinOneWindow_CountOnce()
    {
        var (tracker, sut) = Create();
        for (int episode = 0; episode < 3; episode++)
        {
            long t = Start + (episode * TimeSpan.TicksPerMinute * 5);
            Read(tracker, sut, "b", t);
            for (int i = 0; i < 10; i++)
            {
                // Ten reads of a, each within the window of the one before: one episode, b counted once.
                Read(tracker, sut, "a", t + ((1 + (i * 5)) * TimeSpan.TicksPerSecond));
            }
        }

        Assert.True(tracker.TryGet("a", out KeyAccessStatistics? a));
        Assert.True(tracker.TryGet("b", out KeyAccessStatistics? b));
        // Three episodes of each; tables start with the second, and each pair is counted once in each.
        Assert.Equal(2, a.Partners!.Episodes);
        Assert.Equal(2, a.Partners.CountOf(b));
        Assert.Equal(2, b.Partners!.Episodes);
        Assert.Equal(2, b.Partners.CountOf(a));
    }

    [Fact]
    public void Bound_ThousandNoisePartners_TableKeepsCapacityAndTheTruePartner()
    {
        var (tracker, sut) = Create();
        int noise = 0;
        for (int episode = 0; episode < 100; episode++)
        {
            long t = Start + (episode * TimeSpan.TicksPerMinute * 5);
            Read(tracker, sut, "a", t);
            Read(tracker, sut, "true", t + TimeSpan.TicksPerSecond);
            for (int i = 0; i < 10; i++)
            {
                Read(tracker, sut, $"noise{noise++}", t + ((2 + i) * TimeSpan.TicksPerSecond));
            }
        }

        Assert.Equal(1000, noise);
        Assert.True(tracker.TryGet("a", out KeyAccessStatistics? a));
        Assert.True(tracker.TryGet("true", out KeyAccessStatistics? partner));
        Assert.True(a.Partners!.Occupied <= _options.MaxPartners);
        Assert.Equal(a.Partners.Capacity, _options.MaxPartners);
        var links = new CoAccessLink[_options.MaxPartners];
        int count = a.Partners.GetConfident(links, _options.MinCoAccessCount);
        Assert.Equal(1, count);
        Assert.Same(partner, links[0].Partner);
        Assert.True(links[0].Confidence >= 0.95);
    }

    [Fact]
    public void Evicted_Partner_IsNotProposed()
    {
        var options = new TrackingOptions { MaxTrackedKeys = 16, ProtectedShare = 0.5 };
        var tracker = new AccessTracker(options);
        var sut = new CoAccess(tracker, options);
        for (int episode = 0; episode < 5; episode++)
        {
            long t = Start + (episode * TimeSpan.TicksPerMinute * 5);
            Read(tracker, sut, "a", t);
            Read(tracker, sut, "b", t + TimeSpan.TicksPerSecond);
        }

        Assert.True(tracker.TryGet("a", out KeyAccessStatistics? a));
        var links = new CoAccessLink[16];
        Assert.Equal(1, a.Partners!.GetConfident(links, 3));

        // A flood of keys read twice (so they are protected too) evicts b; a is read meanwhile and survives.
        for (int i = 0; i < 64 && tracker.TryGet("b", out _); i++)
        {
            tracker.RecordRead("a", hit: true, 10, Start + TimeSpan.TicksPerHour, linkToPrevious: false, out _);
            tracker.RecordRead($"flood{i}", hit: true, 10, Start + TimeSpan.TicksPerHour, linkToPrevious: false, out _);
            tracker.RecordRead($"flood{i}", hit: true, 10, Start + TimeSpan.TicksPerHour, linkToPrevious: false, out _);
        }

        Assert.False(tracker.TryGet("b", out _));
        Assert.Equal(0, a.Partners!.GetConfident(links, 1));

        var candidates = new List<Candidate>();
        Assert.True(sut.Observe(a, Start + (2 * TimeSpan.TicksPerHour)));
        sut.AddCandidates(candidates);
        Assert.Empty(candidates);
    }

    [Fact]
    public void PartnerTable_BytesAreCountedAndGivenBackOnEviction()
    {
        var (tracker, sut) = Create();
        Read(tracker, sut, "a", Start);
        Read(tracker, sut, "a", Start + TimeSpan.TicksPerHour);
        Assert.True(tracker.TryGet("a", out KeyAccessStatistics? a));
        Assert.NotNull(a.Partners);
        Assert.Equal(AccessTracker.EntryBytes("a") + AccessTracker.PartnerTableBytes(_options.MaxPartners) + AccessTracker.ExtrasBytes, tracker.TrackedBytes);
    }

    private (AccessTracker Tracker, CoAccess CoAccess) Create()
    {
        var tracker = new AccessTracker(_options);
        return (tracker, new CoAccess(tracker, _options));
    }

    private static void Read(AccessTracker tracker, CoAccess sut, string key, long ticks)
    {
        tracker.RecordRead(key, hit: true, 10, ticks, linkToPrevious: false, out KeyAccessStatistics entry);
        sut.Observe(entry, ticks);
    }
}
