using PredictiveCaching.Loop.Candidates;

namespace PredictiveCaching.Prefetching;

/// <summary>The ways the prediction loop proposes keys to prefetch; <see cref="PrefetchOptions.Mechanisms"/> chooses which run.</summary>
[Flags]
public enum PrefetchMechanisms
{
    /// <summary>Nothing is proposed by the loop (application hints and warming still are).</summary>
    None = 0,

    /// <summary>A key read on a rhythm longer than its copy's life is refreshed just before its next read is due.</summary>
    Rhythm = 1,

    /// <summary>Each copy read is evaluated once, just before it expires, for a read soon after (<see cref="CandidateReason.Expiry"/>).</summary>
    Expiry = 2,

    /// <summary>Keys that followed the key just read, in order, within the successor gap.</summary>
    Successors = 4,

    /// <summary>Keys read within the co-access window of the key just read, in either order (<see cref="CandidateReason.CoAccess"/>).</summary>
    CoAccess = 8,

    /// <summary>The next member of a numbered sequence being read in order, once runs of it are seen to continue.</summary>
    Sequences = 16,

    /// <summary>Every mechanism: the default.</summary>
    All = Rhythm | Expiry | Successors | CoAccess | Sequences,
}
