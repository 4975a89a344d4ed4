namespace PredictiveCaching.Replay.Simulation;

/// <summary>What happened to prefetched copies in the <see cref="VirtualCache"/>, counted the same way for every policy.</summary>
/// <param name="PrefetchWrites">Copies written by a prefetch (library, refresh-ahead, successor or oracle).</param>
/// <param name="Used">Prefetched copies read at least once before they were dropped.</param>
/// <param name="Wasted">Prefetched copies dropped (expired, evicted, overwritten, removed or left at the end) unread.</param>
/// <param name="WastedBytes">The trace sizes of the wasted copies.</param>
/// <param name="Evictions">Entries evicted by the capacity bound.</param>
internal readonly record struct CacheFigures(long PrefetchWrites, long Used, long Wasted, long WastedBytes, long Evictions);
