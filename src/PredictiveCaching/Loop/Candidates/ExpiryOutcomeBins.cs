using PredictiveCaching.Tracking;

namespace PredictiveCaching.Loop.Candidates;

/// <summary>
/// The chance that a key is read soon after its copy expires, by situation: how often the copy was read, how late in
/// its life it was last read (the signal refresh-ahead uses alone), the key's rhythm against the copy's life, how often
/// the key has been read in all, and what followed its previous expiry. Each situation keeps decayed counts of past
/// outcomes; a sparse one leans on a coarser one (copy reads × lateness), which leans on the refresh-ahead rule.
/// </summary>
internal sealed class ExpiryOutcomeBins
{
    private const int ReadsOfCopyLevels = 3;
    private const int LatenessLevels = 4;
    private const int RhythmLevels = 5;
    private const int ReadCountLevels = 4;
    private const int PreviousLevels = 3;
    private const int CoarseCount = ReadsOfCopyLevels * LatenessLevels;
    private const int FineCount = CoarseCount * RhythmLevels * ReadCountLevels * PreviousLevels;

    // Pseudo-observations a level borrows from the one above it; and the count past which history is halved, so the
    // estimate follows a workload that changes instead of averaging over all of it.
    private const double Borrowed = 4d;
    private const double DecayAt = 2_000d;
    private const double LateReadPrior = 0.85;
    private const double SingleLateReadPrior = 0.5;
    private const double OtherPrior = 0.2;

    private readonly double[] _fineReads = new double[FineCount];
    private readonly double[] _fineTotal = new double[FineCount];
    private readonly double[] _coarseReads = new double[CoarseCount];
    private readonly double[] _coarseTotal = new double[CoarseCount];
    private double _allReads;
    private double _allTotal;

    public double Observations => _allTotal;

    /// <summary>The situation of <paramref name="entry"/>'s copy at its evaluation.</summary>
    public static int BinOf(KeyAccessStatistics entry, long expiryTicks, long lifeTicks)
    {
        int readsOfCopy = Math.Min(entry.ReadsOfCopy, ReadsOfCopyLevels - 1);

        // 0: not read since written; then where in the copy's life the last read fell.
        long lastRead = entry.LastReadTicks;
        long written = expiryTicks - lifeTicks;
        int lateness = 0;
        if (entry.ReadsOfCopy > 0 && lastRead >= written)
        {
            double position = (lastRead - written) / (double)lifeTicks;
            lateness = position < 0.5 ? 1 : position < 0.8 ? 2 : 3;
        }

        int rhythm = 0;
        if (entry.ReadCount >= 2)
        {
            double ratio = entry.MeanIntervalSeconds * TimeSpan.TicksPerSecond / lifeTicks;
            rhythm = ratio < 0.25 ? 1 : ratio < 1 ? 2 : ratio < 2 ? 3 : 4;
        }

        long reads = entry.ReadCount;
        int readCount = reads <= 1 ? 0 : reads <= 3 ? 1 : reads <= 15 ? 2 : 3;
        int previous = entry.LastExpiryOutcome + 1;
        int coarse = (readsOfCopy * LatenessLevels) + lateness;
        return (((((coarse * RhythmLevels) + rhythm) * ReadCountLevels) + readCount) * PreviousLevels) + previous;
    }

    public double Estimate(int bin)
    {
        int coarse = bin / (RhythmLevels * ReadCountLevels * PreviousLevels);

        // Before any outcome is known, a copy read more than once and late in its life is taken as wanted again, one
        // read once late is an even chance, and others as not: the refresh-ahead rule, made stricter where its
        // evidence is one read, which the data then corrects within a few outcomes of each situation. On short traces
        // most decisions are taken before any of their outcomes is known, so this start is what they follow.
        double start = coarse % LatenessLevels < 2 ? OtherPrior : coarse / LatenessLevels >= 2 ? LateReadPrior : SingleLateReadPrior;
        double byCopy = (_coarseReads[coarse] + (Borrowed * start)) / (_coarseTotal[coarse] + Borrowed);
        return (_fineReads[bin] + (Borrowed * byCopy)) / (_fineTotal[bin] + Borrowed);
    }

    public void Record(int bin, bool read)
    {
        int coarse = bin / (RhythmLevels * ReadCountLevels * PreviousLevels);
        double outcome = read ? 1d : 0d;
        Add(ref _fineReads[bin], ref _fineTotal[bin], outcome);
        Add(ref _coarseReads[coarse], ref _coarseTotal[coarse], outcome);
        Add(ref _allReads, ref _allTotal, outcome);
    }

    private static void Add(ref double reads, ref double total, double outcome)
    {
        reads += outcome;
        total += 1d;
        if (total > DecayAt)
        {
            reads *= 0.5;
            total *= 0.5;
        }
    }
}
