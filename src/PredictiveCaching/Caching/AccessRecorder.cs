using Microsoft.Extensions.Caching.Distributed;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Caching;

/// <summary>
/// Turns what the decorator saw into tracker updates. Kept apart from the decorator so the decorator only delegates.
/// </summary>
internal sealed class AccessRecorder(AccessTracker tracker, TimeProvider timeProvider)
{
    public AccessTracker Tracker { get; } = tracker;

    public void Read(string key, byte[]? value) => Read(key, value is not null, value is null ? -1 : value.LongLength);

    public void Read(string key, bool hit, long size)
    {
        Tracker.RecordRead(key, hit, size, timeProvider.GetUtcNow().UtcTicks, out _);
    }

    public void Write(string key, long size, DistributedCacheEntryOptions options) =>
        Tracker.RecordWrite(key, size, options, timeProvider.GetUtcNow().UtcTicks, prefetched: false);

    public void Remove(string key) => Tracker.RecordRemove(key);

    public void Refresh(string key) => Tracker.RecordRefresh(key, timeProvider.GetUtcNow().UtcTicks);
}
