namespace PredictiveCaching.Replay.Policies;

/// <summary>The library's own account of its prefetches (<c>IPredictiveLoader.GetStatus()</c>) once outcomes settled.</summary>
internal sealed record LibraryFigures(long Started, long Completed, long Used, long Wasted, long Cycles, string? PausedReason)
{
    /// <summary>Gets used / (used + wasted) over settled outcomes; NaN when none settled.</summary>
    public double Precision => Used + Wasted == 0 ? double.NaN : Used / (double)(Used + Wasted);
}
