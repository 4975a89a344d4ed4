using Microsoft.Extensions.Options;
using PredictiveCaching.Prefetching;

namespace PredictiveCaching.Loop.Outcomes;

/// <summary>
/// Every prefetch ends as used (read before it expired or the window ended) or wasted; this keeps the latest outcomes
/// and the misses a prefetch could have covered, lock-free, for the confidence formula, the adaptive strategy and status.
/// </summary>
internal sealed class PrefetchPrecision
{
    private const byte Used = 1;
    private const byte Wasted = 2;

    private readonly byte[] _outcomes;
    private readonly int _confidenceWindow;
    private readonly double _initialPrecision;
    private long _next;
    private long _used;
    private long _wasted;
    private long _repeatMisses;

    public PrefetchPrecision(IOptions<PredictiveLoadingOptions> options)
        : this(options.Value.Prefetch)
    {
    }

    internal PrefetchPrecision(PrefetchOptions options)
    {
        _outcomes = new byte[options.PrecisionWindow];
        _confidenceWindow = Math.Min(options.RecentPrecisionWindow, options.PrecisionWindow);
        _initialPrecision = options.InitialPrecision;
    }

    /// <summary>Gets how many prefetches were used since start.</summary>
    public long UsedCount => Interlocked.Read(ref _used);

    /// <summary>Gets how many prefetches were wasted since start.</summary>
    public long WastedCount => Interlocked.Read(ref _wasted);

    /// <summary>Gets how many reads of already-seen keys missed since start (what prediction could have covered).</summary>
    public long RepeatMissCount => Interlocked.Read(ref _repeatMisses);

    /// <summary>Gets the number of outcomes in the precision window.</summary>
    public int OutcomesInWindow => (int)Math.Min(Interlocked.Read(ref _next), _outcomes.Length);

    /// <summary>Gets used / (used + wasted) over the precision window; <see cref="double.NaN"/> before any outcome.</summary>
    public double Precision => MeanOfLatest(_outcomes.Length, double.NaN);

    /// <summary>Gets the precision of the latest outcomes, for the confidence formula (the initial precision before any).</summary>
    public double RecentPrecision => MeanOfLatest(_confidenceWindow, _initialPrecision);

    /// <summary>Gets covered / (covered + repeat misses) since start: the share of non-compulsory reads prefetching served.</summary>
    public double Recall
    {
        get
        {
            long used = UsedCount;
            long total = used + RepeatMissCount;
            return total == 0 ? double.NaN : used / (double)total;
        }
    }

    public void RecordUsed()
    {
        Interlocked.Increment(ref _used);
        Append(Used);
    }

    public void RecordWasted()
    {
        Interlocked.Increment(ref _wasted);
        Append(Wasted);
    }

    public void RecordRepeatMiss() => Interlocked.Increment(ref _repeatMisses);

    private void Append(byte outcome)
    {
        long index = Interlocked.Increment(ref _next) - 1;
        Volatile.Write(ref _outcomes[(int)(index % _outcomes.Length)], outcome);
    }

    private double MeanOfLatest(int count, double whenEmpty)
    {
        long end = Interlocked.Read(ref _next);
        long start = Math.Max(0, end - Math.Min(count, _outcomes.Length));
        int used = 0;
        int total = 0;
        for (long i = start; i < end; i++)
        {
            byte outcome = Volatile.Read(ref _outcomes[(int)(i % _outcomes.Length)]);
            if (outcome == 0)
            {
                continue; // claimed but not yet written by a racing recorder
            }

            total++;
            if (outcome == Used)
            {
                used++;
            }
        }

        return total == 0 ? whenEmpty : used / (double)total;
    }
}
