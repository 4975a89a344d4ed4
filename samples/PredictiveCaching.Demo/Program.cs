using System.Globalization;
using System.Text;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using PredictiveCaching.Tracking;

// An application on the default in-memory cache, with the predictive decorator in front of it.
var services = new ServiceCollection();
services.AddDistributedMemoryCache();
services.AddPredictiveLoading();
using ServiceProvider provider = services.BuildServiceProvider();

IDistributedCache cache = provider.GetRequiredService<IDistributedCache>();
AccessTracker tracker = provider.GetRequiredService<AccessTracker>();
Console.WriteLine($"IDistributedCache resolves to {cache.GetType().Name} over {((PredictiveCaching.Caching.PredictiveDistributedCache)cache).InnerCache.GetType().Name}");

// Cache-aside reads: an order page is always followed by its customer, pages are read in sequence.
for (int round = 0; round < 3; round++)
{
    foreach (string key in new[] { "order:17", "customer:4", "page:1", "page:2", "page:3" })
    {
        if (await cache.GetAsync(key) is null)
        {
            await cache.SetAsync(key, Encoding.UTF8.GetBytes("value of " + key),
                new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5) });
        }
    }
}

Console.WriteLine($"tracked keys: {tracker.Count}");
var links = new SuccessorLink[4];
foreach (KeyAccessStatistics statistics in tracker.EnumerateEntries().OrderBy(s => s.Key, StringComparer.Ordinal))
{
    int count = statistics.GetSuccessors(links);
    var followers = new StringBuilder();
    for (int i = 0; i < count; i++)
    {
        followers.Append(CultureInfo.InvariantCulture, $"{links[i].Successor.Key} (x{links[i].Count}) ");
    }

    Console.WriteLine($"{statistics.Key,-12} reads {statistics.ReadCount} hits {statistics.HitCount} size {statistics.LastSize} B; followed by: {followers}");
}
