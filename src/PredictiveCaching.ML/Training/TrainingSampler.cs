using PredictiveCaching.Features;
using PredictiveCaching.Prediction;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.MachineLearning.Training;

/// <summary>
/// Cuts training data from the access history. By default (<see cref="MachineLearningOptions.SampleTrackedKeys"/> off)
/// every candidate the prefetch cycle scores is a sample — expiry decisions, co-access triggers, rhythm, successor and
/// sequence candidates — with the feature vector it was scored on and what the loop decided with; once the lookahead
/// window after the decision has passed, it is labelled positive when the key was read within it. With
/// <see cref="MachineLearningOptions.SampleTrackedKeys"/> on, at each sample time it takes a uniform random subset of the
/// tracked keys instead and labels them the same way.
/// </summary>
/// <remarks>
/// <para>
/// Decision samples: one pending sample per key at a time (a key scored again inside its own window adds nothing the
/// first did not ask). They are labelled at the first cycle at or after their window's end, positive when the key's read
/// count grew since the decision (or, for a key evicted meanwhile, when its new entry's first read lies in the window),
/// so a read is attributed within one cycle interval of the window's end. Negatives are kept with weight 1: class
/// balance is done by weights in training, never by dropping data.
/// </para>
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
/// <para>
/// Everything comes through the core's public contracts — <see cref="IScoringObserver"/> for the decisions,
/// <see cref="IPredictionInputs"/> for what happened to a key since — so a third-party training package can sample the
/// same way. An entry's history is told apart from a later one of the same key (evicted from tracking, then admitted
/// again) by its first read: a new history starts with a later one.
/// </para>
/// </remarks>
internal sealed class TrainingSampler : IScoringObserver
{
    private readonly IPredictionInputs _inputs;
    private readonly FeatureVectorBuilder _features;
    private readonly TrainingSampleStore _store;
    private readonly MachineLearningOptions _options;
    private readonly TimeProvider _time;
    private readonly List<PendingSample> _pending = [];
    private readonly PriorityQueue<PendingSample, long> _decisions = new();
    private readonly HashSet<string> _pendingKeys = new(StringComparer.Ordinal);
    private readonly IAccessPredictor _heuristic = ActivePredictor.Heuristic;
    private readonly Lock _gate = new();
    private readonly Random _random;
    private long _skipped;
    private long _negativesThinned;
    private long _decisionsSampled;

    public TrainingSampler(
        IPredictionInputs inputs,
        FeatureVectorBuilder features,
        TrainingSampleStore store,
        MachineLearningOptions options,
        TimeProvider time)
    {
        _inputs = inputs;
        _features = features;
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
                return _pending.Count + _decisions.Count;
            }
        }
    }

    /// <summary>Gets how many decision samples were taken since start.</summary>
    public long DecisionsSampled => Interlocked.Read(ref _decisionsSampled);

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
            LabelDecisions(now);
            if (!_options.SampleTrackedKeys)
            {
                return 0;
            }

            Label(now);
            return Take(now);
        }
    }

    /// <inheritdoc />
    public void OnCycle(long nowTicks)
    {
        lock (_gate)
        {
            LabelDecisions(nowTicks);
        }
    }

    /// <inheritdoc />
    public void OnScored(in PredictionContext context, CandidateReason reason, ReadOnlySpan<float> features, double probability, bool byPredictor)
    {
        if (_options.SampleTrackedKeys)
        {
            return;
        }

        lock (_gate)
        {
            if (_pendingKeys.Contains(context.Key))
            {
                return;
            }

            if (_decisions.Count >= _options.MaxPendingSamples)
            {
                Interlocked.Increment(ref _skipped);
                return;
            }

            // What the loop would have decided without a model: the heuristic on the same context, or the decision point's
            // own estimate, which no model replaces.
            double heuristic = byPredictor ? _heuristic.Predict(in context, features).Probability : probability;
            var decision = new DecisionRecord(true, (float)heuristic, (float)Math.Clamp(context.Prior, 0d, 1d), (float)_inputs.ProbabilityThreshold, byPredictor);
            long due = context.NowTicks + context.Lookahead.Ticks;
            var sample = new PendingSample(context.Key, context.Statistics, context.NowTicks, due, features.ToArray(), 1f, decision);
            _decisions.Enqueue(sample, due);
            _pendingKeys.Add(context.Key);
            _decisionsSampled++;
        }
    }

    private void LabelDecisions(long now)
    {
        while (_decisions.TryPeek(out PendingSample? sample, out long due) && due <= now)
        {
            _decisions.Dequeue();
            _pendingKeys.Remove(sample.Key);
            sample.Positive = WasReadSinceDecision(sample);
            _store.Add(new LabelledSample(sample.Features, sample.Positive, sample.Weight, LogSizeOf(sample), sample.SampleTicks, sample.Decision));
        }
    }

    // Labelled at the first cycle after the window's end: a read since the decision is in the window up to one cycle.
    private bool WasReadSinceDecision(PendingSample sample)
    {
        if (!_inputs.TryGetStatistics(sample.Key, out KeyAccessSnapshot current))
        {
            // Evicted from tracking and not read again since: whatever it was read before went with its entry.
            return false;
        }

        if (sample.IsSameHistory(current))
        {
            return current.ReadCount > sample.BaseReadCount;
        }

        // Never tracked at the decision (a sequential neighbour) or evicted and admitted again: its first read tells.
        return sample.FirstReadInWindow(current);
    }

    private float LogSizeOf(PendingSample sample)
    {
        if (!sample.Positive)
        {
            return float.NaN;
        }

        long size = _inputs.TryGetStatistics(sample.Key, out KeyAccessSnapshot current) ? current.LastSize : -1;
        return size >= 0 ? (float)Math.Log(size + 1d) : float.NaN;
    }

    private int Take(long now)
    {
        int tracked = _inputs.TrackedKeyCount;
        if (tracked == 0)
        {
            return 0;
        }

        double rate = Math.Min(1d, _options.MaxSamplesPerTick / (double)tracked);
        float weight = (float)(1d / rate);
        int taken = 0;
        foreach (string key in _inputs.EnumerateTrackedKeys())
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

            PredictionContext context = _inputs.CreateContext(key, now);
            if (context.Statistics is null)
            {
                // Evicted between the enumeration and now: nothing to sample.
                continue;
            }

            float[] vector = new float[_features.Schema.Count];
            _features.Fill(in context, vector);

            // The base count comes from the same snapshot as the features: a read after it can only make the label positive, never leak into the vector.
            _pending.Add(new PendingSample(key, context.Statistics, now, now + context.Lookahead.Ticks, vector, weight, default));
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

        _store.Add(new LabelledSample(sample.Features, sample.Positive, weight, LogSizeOf(sample), sample.SampleTicks));
    }

    private bool WasReadInWindow(PendingSample sample)
    {
        if (!_inputs.TryGetStatistics(sample.Key, out KeyAccessSnapshot current))
        {
            return false;
        }

        if (sample.IsSameHistory(current))
        {
            long last = current.LastReadTicks;
            return current.ReadCount > sample.BaseReadCount && last > sample.SampleTicks && last <= sample.DueTicks;
        }

        // Evicted and read again: the key has a new history whose first read tells.
        return sample.FirstReadInWindow(current);
    }

    private sealed class PendingSample(string key, KeyAccessSnapshot? statistics, long sampleTicks, long dueTicks, float[] features, float weight, DecisionRecord decision)
    {
        // The first read identifies the tracker's history of the key: one admitted again after eviction starts later.
        private readonly long _baseFirstReadTicks = statistics?.FirstReadTicks ?? 0;
        private readonly bool _wasTracked = statistics.HasValue;

        public string Key { get; } = key;

        public DecisionRecord Decision { get; } = decision;

        public long BaseReadCount { get; } = statistics?.ReadCount ?? 0;

        public long SampleTicks { get; } = sampleTicks;

        public long DueTicks { get; } = dueTicks;

        public float[] Features { get; } = features;

        public float Weight { get; } = weight;

        public bool Positive { get; set; }

        /// <summary>Whether <paramref name="current"/> continues the history the sample was taken from.</summary>
        public bool IsSameHistory(in KeyAccessSnapshot current) =>
            _wasTracked && (_baseFirstReadTicks == 0 ? current.FirstReadTicks == 0 || current.FirstReadTicks > SampleTicks : current.FirstReadTicks == _baseFirstReadTicks);

        public bool FirstReadInWindow(in KeyAccessSnapshot current) =>
            current.FirstReadTicks > SampleTicks && current.FirstReadTicks <= DueTicks;
    }
}
