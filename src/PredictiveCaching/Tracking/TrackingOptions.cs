using PredictiveCaching.Validation;

namespace PredictiveCaching.Tracking;

/// <summary>Bounds and windows of the per-key access tracking.</summary>
public sealed class TrackingOptions
{
    /// <summary>Gets or sets the most keys tracked at once; others are evicted, one-read keys first.</summary>
    /// <value>Default 100 000.</value>
    [OptionRange(16, 100_000_000)]
    public int MaxTrackedKeys { get; set; } = 100_000;

    /// <summary>
    /// Gets or sets the most bytes the tracked keys may take, key strings included (an estimate per key, see
    /// <see cref="AccessTracker.TrackedBytes"/>); whichever of this and <see cref="MaxTrackedKeys"/> is reached first
    /// bounds the tracker. Long keys make it the tighter one: at 2 048 characters a key takes about 4.4 KB.
    /// </summary>
    /// <value>Default 64 MiB.</value>
    [OptionRange(1L << 20, 64L << 30)]
    public long MaxTrackedBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Gets or sets how many successor keys are remembered per key.</summary>
    /// <value>Default 4; 0 turns successor links off.</value>
    [OptionRange(0, 16)]
    public int MaxSuccessors { get; set; } = 4;

    /// <summary>Gets or sets the longest gap between two reads for the second to count as a successor of the first.</summary>
    /// <value>Default 5 seconds.</value>
    [DurationRange("00:00:00.001", "00:10:00")]
    public TimeSpan SuccessorGap { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Gets or sets how close in time two reads must be, in either order, for the keys to count as read together
    /// (co-access: a page and its images); a key's reads closer than this to each other form one episode.
    /// </summary>
    /// <value>Default 30 seconds.</value>
    [DurationRange("00:00:01", "00:10:00")]
    public TimeSpan CoAccessWindow { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets how many co-access partners are remembered per key read more than once (the table of a key takes
    /// 72 B + 16 B per partner, counted in <see cref="MaxTrackedBytes"/>).
    /// </summary>
    /// <value>Default 16; 0 turns co-access off.</value>
    [OptionRange(0, 32)]
    public int MaxPartners { get; set; } = 16;

    /// <summary>
    /// Gets or sets in how many episodes of a key a partner must have been read before the partner is proposed when
    /// the key is read; its confidence (the share of the key's episodes) is then weighed against the strategy's threshold.
    /// </summary>
    /// <value>Default 3.</value>
    [OptionRange(1, 1000)]
    public int MinCoAccessCount { get; set; } = 3;

    /// <summary>
    /// Gets or sets on which read a key that is not tracked gets a tracking entry: with 2, a key read once takes no
    /// entry, only a few bits of a count-min sketch (the admission doorkeeper) that remembers it for a while; 1 tracks
    /// every key from its first read. The sketch takes 8 B per key of <see cref="MaxTrackedKeys"/> (at most 1/32 of
    /// <see cref="MaxTrackedBytes"/>) and forgets by halving its counts every half of that many reads of untracked keys.
    /// Writes and prefetches always give the key an entry; keys the application hints are admitted on their first read.
    /// </summary>
    /// <value>Default 2; 1 for no doorkeeper.</value>
    [OptionRange(1, 4)]
    public int AdmissionReads { get; set; } = 2;

    /// <summary>Gets or sets the share of <see cref="MaxTrackedKeys"/> (and of <see cref="MaxTrackedBytes"/>) reserved for keys read more than once.</summary>
    /// <value>Default 0.8.</value>
    [OptionRange(0.1, 0.95)]
    public double ProtectedShare { get; set; } = 0.8;
}
