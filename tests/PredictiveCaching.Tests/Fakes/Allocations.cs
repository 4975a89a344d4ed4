namespace PredictiveCaching.Tests.Fakes;

/// <summary>Zero-allocation checks that a loaded machine cannot fail by itself.</summary>
internal static class Allocations
{
    /// <summary>
    /// The fewest bytes this thread allocated over one run of <paramref name="batch"/>, of up to five runs (it stops at a
    /// run that allocated nothing). The runtime can charge the thread for bytes of its own while it moves the methods
    /// on the path to optimized code (tier-up, on-stack replacement, timed by call counts and by a delay that a loaded
    /// machine stretches); that happens once per method. An allocation made by the code itself is in every run and
    /// still shows.
    /// </summary>
    public static long Fewest(Action batch)
    {
        long fewest = long.MaxValue;
        for (int run = 0; run < 5 && fewest != 0; run++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            batch();
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return fewest;
    }
}
