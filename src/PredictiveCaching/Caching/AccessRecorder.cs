using System.Runtime.CompilerServices;
using Microsoft.Extensions.Caching.Distributed;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Caching;

/// <summary>
/// Turns what the decorator saw into tracker updates, prefetch outcomes and hints for the next prefetch cycle.
/// Kept apart from the decorator so the decorator only delegates. Nothing here blocks or allocates for a known key.
/// </summary>
internal sealed class AccessRecorder(AccessTracker tracker, TimeProvider timeProvider, PrefetchAccuracy accuracy, RecentReads recentReads) : IDisposable
{
    private readonly RecordingClock _clock = new(timeProvider);

    public AccessTracker Tracker { get; } = tracker;


    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Read(string key, byte[]? value) => Read(key, value is not null, value is null ? -1 : value.LongLength);

    public void Read(string key, bool hit, long size)
    {
        long now = _clock.UtcNowTicks();
        ReadOutcome outcome = Tracker.RecordRead(key, hit, size, now, linkToPrevious: false, out KeyAccessStatistics entry);
        recentReads.Add(entry, now);
        switch (outcome)
        {
            case ReadOutcome.FirstReadOfPrefetchedCopy:
                accuracy.RecordUsed();
                break;
            case ReadOutcome.MissAfterUnreadPrefetch:
                accuracy.RecordWasted();
                accuracy.RecordRepeatMiss();
                break;
            case ReadOutcome.Miss when entry.ReadCount > 1:
                accuracy.RecordRepeatMiss();
                break;
        }
    }

    /// <summary>Fences a write or removal against prefetches of the same key; see <see cref="KeyAccessStatistics.BeginApplicationWrite"/>.</summary>
    /// <returns>The key's entry and a prefetch write to wait for before writing, if one is in progress.</returns>
    public (KeyAccessStatistics Entry, Task? PrefetchWrite) BeginWrite(string key)
    {
        KeyAccessStatistics entry = Tracker.GetOrAddEntry(key);
        return (entry, entry.BeginApplicationWrite());
    }

    public void EndWrite(KeyAccessStatistics entry, long size, DistributedCacheEntryOptions options)
    {
        entry.EndApplicationWrite();
        if (entry.RecordWrite(size, options, _clock.UtcNowTicks(), prefetched: false))
        {
            accuracy.RecordWasted();
        }
    }

    public void EndRemove(KeyAccessStatistics entry)
    {
        entry.EndApplicationWrite();
        if (entry.RecordRemove())
        {
            accuracy.RecordWasted();
        }
    }

    public static void AbortWrite(KeyAccessStatistics entry) => entry.EndApplicationWrite();

    public void Refresh(string key) => Tracker.RecordRefresh(key, _clock.UtcNowTicks());

    public void Dispose() => _clock.Dispose();
}
