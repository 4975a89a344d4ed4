using PredictiveCaching.Tests.Fakes;

namespace PredictiveCaching.Tests.Prefetching;

public sealed class CoAccessLoopTests
{
    private static readonly string[] Images = ["logo.gif", "banner.gif", "photo.jpg", "map.gif", "icon.xbm"];

    [Fact]
    public async Task AfterTraining_ReadOfThePage_PrefetchesItsImages()
    {
        (int prefetched, int hits) = await VisitAsync(maxPartners: 16);

        Assert.Equal(Images.Length, prefetched);
        Assert.Equal(Images.Length, hits);
    }

    [Fact]
    public async Task WithoutCoAccess_SameVisits_PrefetchAtMostTheFirstImage()
    {
        (int prefetched, int hits) = await VisitAsync(maxPartners: 0);

        // The successor link from the page reaches the image read right after it, no further.
        Assert.True(prefetched <= 1, $"{prefetched} prefetched");
        Assert.True(hits <= 1, $"{hits} hits");
    }

    /// <returns>How many images the last visit found prefetched (loaded before it read them) and how many it hit.</returns>
    private static async Task<(int Prefetched, int Hits)> VisitAsync(int maxPartners)
    {
        // Room for the five images in one cycle: candidates that cannot start are not retried, whatever proposed them.
        await using LoopHarness h = LoopHarness.Create(o =>
        {
            o.Tracking.MaxPartners = maxPartners;
            o.Prefetch.MaxConcurrency = 8;
        });
        TimeSpan ttl = TimeSpan.FromSeconds(60);

        // Irregular gaps between visits, so no key has a rhythm to prefetch by: only co-access can help.
        int[] gaps = [200, 530, 310, 720, 260, 450];
        foreach (int gap in gaps)
        {
            await h.ReadAsync("index.html", ttl);
            foreach (string image in Images)
            {
                await h.AdvanceAsync(TimeSpan.FromSeconds(1));
                await h.ReadAsync(image, ttl);
            }

            await h.AdvanceAsync(TimeSpan.FromSeconds(gap), TimeSpan.FromSeconds(10));
        }

        int[] loadsBefore = Array.ConvertAll(Images, h.Origin.LoadsOf);
        Assert.False(await h.ReadAsync("index.html", ttl));
        await h.CycleAsync();
        int prefetched = 0;
        for (int i = 0; i < Images.Length; i++)
        {
            prefetched += h.Origin.LoadsOf(Images[i]) - loadsBefore[i];
        }

        int hits = 0;
        foreach (string image in Images)
        {
            h.Time.Advance(TimeSpan.FromSeconds(1));
            hits += await h.ReadAsync(image, ttl) ? 1 : 0;
        }

        return (prefetched, hits);
    }
}
