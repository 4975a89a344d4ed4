using PredictiveCaching.Features;
using PredictiveCaching.Prediction;
using PredictiveCaching.Priorities;
using PredictiveCaching.Resources;
using PredictiveCaching.Strategies;
using PredictiveCaching.Tracking;
using PredictiveCaching.Warming;

namespace PredictiveCaching.MachineLearning.Training;

/// <summary>
/// Cuts training data from the access history. At each sample time it takes a uniform random subset of the tracked
/// keys and records each one's feature vector as of that moment; once the lookahead window after the sample has
/// passed, the sample is labelled positive when the key was read within (sample time, sample time + window].
/// </summary>
/// <remarks>
/// <para>
/// No future leaks into features: the vector is filled at the sample time from the statistics as they are then, and
/// only the label looks later. The label comes from the key's read count and last-read time: every sample tick checks
/// whether the count grew with the last read still inside the window, so a read is caught at most one sample interval
/// after it happens. A key read only once inside the window and again after it, both between two ticks, is labelled
/// negative (the tracker keeps only the last read time); the error is bounded by the sample interval.
/// </para>
/// <para>
/// Pending samples are bounded (<see cref="MachineLearningOptions.MaxPendingSamples"/>): while full, new ones are
/// skipped and counted. Negatives are thinned to <see cref="MachineLearningOptions.NegativeSamplingRate"/> when labelled
/// and the kept ones weigh 1 / rate, so the weighted data keeps the true base rate; class balance for training is done by
/// weights, never by dropping data.
/// </para>
/// </remarks>
internal sealed class TrainingSampler
{
    private readonly AccessTracker _tracker;
    private readonly FeatureVectorBuilder _features;
    private readonly ResourceMonitor _resources;
    private readonly Func<TimeSpan> _lookahead;
    private readonly Func<string, double> _priority;
    private readonly TrainingSampleStore _store;
    private readonly MachineLearningOptions _options;
    private readonly TimeProvider _time;
    private readonly List<PendingSample> _pending = [];
    private readonly Lock _gate = new();
    private readonly Random _random;
    private long _skipped;
    private long _negativesThinned;

    public TrainingSampler(
        AccessTracker tracker,
        FeatureVectorBuilder features,
        ResourceMonitor resources,
        StrategySelector strategies,
        KeyPriorities priorities,
        TrainingSampleStore store,
        MachineLearningOptions options,
        TimeProvider time)
        : this(tracker, features, resources, () => strategies.Current.LookaheadWindow, priorities.WeightOf, store, options, time)
    {
    }

    internal TrainingSampler(
        AccessTracker tracker,
        FeatureVectorBuilder features,
        ResourceMonitor resources,
        Func<TimeSpan> lookahead,
        Func<string, double> priority,
        TrainingSampleStore store,
        MachineLearningOptions options,
        TimeProvider time)
    {
        _tracker = tracker;
        _features = features;
        _resources = resources;
        _lookahead = lookahead;
        _priority = priority;
        _store = store;
        _options = options;
        _time = time;
        _random = new Random(options.Seed);
    }

    public int PendingCount
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Gets how many samples were skipped because the pending list was full.</summary>
    public long SkippedCount => Interlocked.Read(ref _skipped);

    /// <summary>Gets how many labelled negatives were thinned out (see <see cref="MachineLearningOptions.NegativeSamplingRate"/>).</summary>
    public long NegativesThinned => Interlocked.Read(ref _negativesThinned);

    public TrainingSampleStore Store => _store;

    /// <summary>Labels the samples that are due, then takes new samples, at the current time.</summary>
    /// <returns>How many new samples were taken.</returns>
    public int SampleNow()
    {
        long now = _time.GetUtcNow().UtcTicks;
        lock (_gate)
        {
            Label(now);
            return Take(now);
        }
    }

    private int Take(long now)
    {
        int tracked = _tracker.Count;
        if (tracked == 0)
        {
            return 0;
        }

        double rate = Math.Min(1d, _options.MaxSamplesPerTick / (double)tracked);
        float weight = (float)(1d / rate);
        TimeSpan lookahead = _lookahead();
        ResourceSnapshot resources = _resources.Current;
        int taken = 0;
        foreach (KeyAccessStatistics entry in _tracker.EnumerateEntries())
        {
            if (rate < 1d && _random.NextDouble() >= rate)
            {
                continue;
            }

            if (_pending.Count >= _options.MaxPendingSamples)
            {
                Interlocked.Increment(ref _skipped);
                continue;
            }

            var context = new PredictionContext(entry.Key, entry, now, lookahead, resources, _priority(entry.Key), isSequential: false);
            float[] vector = new float[_features.Schema.Count];
            _features.Fill(in context, vector);

            // Taken after the features: a read racing with Fill can only make the label positive, never leak into the vector.
            _pending.Add(new PendingSample(entry, entry.ReadCount, now, now + lookahead.Ticks, vector, weight));
            taken++;
        }

        return taken;
    }

    private void Label(long now)
    {
        int kept = 0;
        for (int i = 0; i < _pending.Count; i++)
        {
            PendingSample sample = _pending[i];
            if (!sample.Positive && WasReadInWindow(sample))
            {
                sample.Positive = true;
            }

            if (now < sample.DueTicks)
            {
                _pending[kept++] = sample;
                continue;
            }

            Complete(sample);
        }

        _pending.RemoveRange(kept, _pending.Count - kept);
    }

    private void Complete(PendingSample sample)
    {
        float weight = sample.Weight;
        if (!sample.Positive)
        {
            if (_options.NegativeSamplingRate < 1d && _random.NextDouble() >= _options.NegativeSamplingRate)
            {
                Interlocked.Increment(ref _negativesThinned);
                return;
            }

            weight = (float)(weight / _options.NegativeSamplingRate);
        }

        float logSize = float.NaN;
        if (sample.Positive)
        {
            long size = sample.Entry.LastSize;
            if (size >= 0)
            {
                logSize = (float)Math.Log(size + 1d);
            }
        }

        _store.Add(new LabelledSample(sample.Features, sample.Positive, weight, logSize, sample.SampleTicks));
    }

    private bool WasReadInWindow(PendingSample sample)
    {
        KeyAccessStatistics entry = sample.Entry;
        if (entry.ReadCount > sample.BaseReadCount)
        {
            long last = entry.LastReadTicks;
            return last > sample.SampleTicks && last <= sample.DueTicks;
        }

        // Evicted and read again: the key has a new entry whose first read tells.
        if (entry.IsEvicted && _tracker.TryGet(entry.Key, out KeyAccessStatistics? current) && !ReferenceEquals(current, entry))
        {
            long first = current.FirstReadTicks;
            return first > sample.SampleTicks && first <= sample.DueTicks;
        }

        return false;
    }

    private sealed class PendingSample(KeyAccessStatistics entry, long baseReadCount, long sampleTicks, long dueTicks, float[] features, float weight)
    {
        public KeyAccessStatistics Entry { get; } = entry;

        public long BaseReadCount { get; } = baseReadCount;

        public long SampleTicks { get; } = sampleTicks;

        public long DueTicks { get; } = dueTicks;

        public float[] Features { get; } = features;

        public float Weight { get; } = weight;

        public bool Positive { get; set; }
    }
}
