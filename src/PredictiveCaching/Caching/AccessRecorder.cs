using System.Runtime.CompilerServices;
using Microsoft.Extensions.Caching.Distributed;
using PredictiveCaching.Loop.Outcomes;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Caching;

/// <summary>
/// Turns what the decorator saw into tracker updates, prefetch outcomes and hints for the next prefetch cycle.
/// Kept apart from the decorator so the decorator only delegates. Nothing here blocks or allocates for a known key.
/// </summary>
internal sealed class AccessRecorder(AccessTracker tracker, TimeProvider timeProvider, PrefetchPrecision accuracy, RecentReads recentReads, IPrefetchCoordinator coordinator) : IDisposable
{
    private readonly RecordingClock _clock = new(timeProvider);

    public AccessTracker Tracker { get; } = tracker;


    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Read(string key, byte[]? value)
    {
        if (ReadCore(key, value is not null, value is null ? -1 : value.LongLength) is { } entry)
        {
            HybridFraming.MarkIfFramed(entry, value);
        }
    }

    public void Read(string key, bool hit, long size) => ReadCore(key, hit, size);

    /// <summary>
    /// Records a read made through HybridCache (an L1 or L2 hit, or a miss that ran its factory) and marks the key as
    /// read through it, so a raw-bytes source for it can be reported.
    /// </summary>
    /// <param name="key">The key read.</param>
    /// <param name="entry">The key's entry, as the decorator looked it up before the read (to count factory calls).</param>
    /// <param name="hit">Whether the factory did not run.</param>
    public void HybridRead(string key, KeyAccessStatistics entry, bool hit)
    {
        long now = _clock.UtcNowTicks();
        ReadOutcome outcome = entry.IsEvicted
            // Evicted while the read ran (a miss whose factory took long): recorded on the key's entry as it is now,
            // admitted whatever the doorkeeper says, since HybridCache looked the key up through an entry already.
            ? Tracker.RecordRead(key, hit, -1, now, linkToPrevious: false, out entry)
            // The decorator looked the entry up already: no second dictionary lookup on an L1 hit.
            : entry.RecordRead(hit, -1, now);
        recentReads.Add(entry, now);
        Count(outcome, entry);

        if (!entry.ReadThroughHybridCache)
        {
            entry.ReadThroughHybridCache = true;
        }
    }

    /// <summary>
    /// Records the copy HybridCache stored after its factory ran on a miss: present, with its time to live, so its expiry
    /// can be predicted. Not fenced: the value is what the origin had at that moment, like a prefetch's.
    /// </summary>
    public void HybridCreated(string key, DistributedCacheEntryOptions options)
    {
        long now = _clock.UtcNowTicks();
        KeyAccessStatistics entry = Tracker.GetOrAddForWrite(key, now);
        if (entry.RecordWrite(-1, options, now, prefetched: false))
        {
            accuracy.RecordWasted();
        }
    }

    /// <returns>The key's entry, or <see langword="null"/> when the doorkeeper did not admit the key on this read.</returns>
    private KeyAccessStatistics? ReadCore(string key, bool hit, long size)
    {
        long now = _clock.UtcNowTicks();
        if (!Tracker.TryRecordRead(key, hit, size, now, out ReadOutcome outcome, out KeyAccessStatistics? entry))
        {
            // Not admitted: no entry, nothing allocated; the cycle still sees the read if the key has an entry by then.
            recentReads.AddUntracked(key, now);
            return null;
        }

        recentReads.Add(entry, now);
        Count(outcome, entry);
        return entry;
    }

    private void Count(ReadOutcome outcome, KeyAccessStatistics entry)
    {
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
        KeyAccessStatistics entry = Tracker.GetOrAddForWrite(key, _clock.UtcNowTicks());
        return (entry, entry.BeginApplicationWrite());
    }

    /// <summary>
    /// Fences the write or removal against prefetches of the key granted to any instance (see
    /// <see cref="IPrefetchCoordinator.FenceWriteAsync"/>); called after <see cref="BeginWrite"/>, before the inner call.
    /// A coordinator that breaks its contract and throws does not fail the application's write.
    /// </summary>
    public ValueTask FenceAsync(string key)
    {
        try
        {
            ValueTask fence = coordinator.FenceWriteAsync(key);
            return fence.IsCompletedSuccessfully ? default : AwaitFence(fence);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            return default;
        }
    }

    /// <summary>The synchronous form of <see cref="FenceAsync"/>.</summary>
    public void Fence(string key)
    {
        try
        {
            coordinator.FenceWrite(key);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // See FenceAsync.
        }
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

    /// <summary>Fences a HybridCache tag removal against typed prefetches; see <see cref="AccessTracker.TagFenceHolds"/>.</summary>
    public void BeginTagInvalidation() => Tracker.BeginTagInvalidation();

    public void EndTagInvalidation() => Tracker.EndTagInvalidation();

    /// <summary>
    /// Fences a tag removal against typed prefetches granted to any instance (see
    /// <see cref="IPrefetchCoordinator.FenceTagRemovalAsync"/>); called after <see cref="BeginTagInvalidation"/>, before
    /// the inner call. A coordinator that breaks its contract and throws does not fail the application's removal.
    /// </summary>
    public ValueTask FenceTagRemovalAsync()
    {
        try
        {
            ValueTask fence = coordinator.FenceTagRemovalAsync();
            return fence.IsCompletedSuccessfully ? default : AwaitFence(fence);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            return default;
        }
    }

    public void Refresh(string key) => Tracker.RecordRefresh(key, _clock.UtcNowTicks());

    public void Dispose() => _clock.Dispose();

    private static async ValueTask AwaitFence(ValueTask fence)
    {
        try
        {
            await fence.ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // See FenceAsync.
        }
    }
}
