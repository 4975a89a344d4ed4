namespace PredictiveCaching.Prefetching;

/// <summary>Why a key was proposed for prefetching.</summary>
public enum CandidateReason
{
    /// <summary>Its own rhythm of reads says the next read is due within the window while its copy will be gone.</summary>
    Rhythm,

    /// <summary>It tends to be read shortly after a key that was just read.</summary>
    Successor,

    /// <summary>It is the next of a numbered sequence being read in order.</summary>
    Sequential,

    /// <summary>A warming round ranked it among the keys most likely read, weighted by priority.</summary>
    Warming,

    /// <summary>It is usually read within the co-access window of a key that was just read, in either order (a page's images).</summary>
    CoAccess,

    /// <summary>
    /// Its copy is about to expire, and keys in the same situation (how often and how late the copy was read, the key's
    /// rhythm, what followed its previous expiry) were mostly read again soon after their copies expired.
    /// </summary>
    Expiry,

    /// <summary>The application said it expects the key to be read soon (<see cref="IPredictiveLoader.ExpectReads"/>).</summary>
    Hint,
}
