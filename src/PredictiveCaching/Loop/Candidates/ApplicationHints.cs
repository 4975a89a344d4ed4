using System.Threading.Channels;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Loop.Candidates;

/// <summary>
/// Application hints: keys the application said it expects to read soon (<see cref="IPredictiveLoader.ExpectReads"/>),
/// proposed in the next cycle with the application's probability. A bounded queue: hints given faster than cycles
/// take them are refused, and the caller is told how many were taken.
/// </summary>
internal sealed class ApplicationHints(AccessTracker tracker) : ICandidateSource
{
    /// <summary>How many hints may wait for the next cycle.</summary>
    public const int Capacity = 4096;

    private readonly Channel<(string Key, double Probability)> _pending = Channel.CreateBounded<(string, double)>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

    /// <summary>Queues the keys for the next cycle; returns how many were taken before the queue was full.</summary>
    public int Add(IEnumerable<string> keys, double probability)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (!(probability > 0d && probability <= 1d))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "The probability of a hinted read must be in (0, 1].");
        }

        int taken = 0;
        foreach (string key in keys)
        {
            if (string.IsNullOrEmpty(key))
            {
                throw new ArgumentException("A hinted key is null or empty.", nameof(keys));
            }

            if (!_pending.Writer.TryWrite((key, probability)))
            {
                break;
            }

            // A hinted key is read because the application said so: its first read is not a one-off to keep out.
            tracker.ExpectRead(key);

            taken++;
        }

        return taken;
    }

    public void Collect(CycleReads reads, long nowTicks, List<Candidate> output)
    {
        while (_pending.Reader.TryRead(out (string Key, double Probability) hint))
        {
            tracker.TryGet(hint.Key, out KeyAccessStatistics? entry);
            output.Add(new Candidate(hint.Key, entry, CandidateReason.Hint, hint.Probability, false, entry?.LastSize ?? -1));
        }
    }
}
