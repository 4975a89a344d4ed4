namespace PredictiveCaching.Tracking;

/// <summary>What a recorded read meant for the key's cached copy.</summary>
internal enum ReadOutcome
{
    /// <summary>A hit on a copy the application wrote, or one already read.</summary>
    None,

    /// <summary>The first read of a copy written by a prefetch: the prefetch was used.</summary>
    FirstReadOfPrefetchedCopy,

    /// <summary>A miss.</summary>
    Miss,

    /// <summary>A miss although a prefetched copy had been written and never read: it expired or was evicted unused.</summary>
    MissAfterUnreadPrefetch,
}
