using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PredictiveCaching.Diagnostics;
using PredictiveCaching.Features;
using PredictiveCaching.Prediction;
using PredictiveCaching.Resources;
using PredictiveCaching.Strategies;
using PredictiveCaching.Tracking;
using PredictiveCaching.Warming;

namespace PredictiveCaching.Prefetching;

/// <summary>
/// One pass of the prediction loop: propose candidates, drop those whose copy will serve the read anyway, score the
/// rest, and start prefetches in order of confidence within the strategy's threshold, byte budget and resource limit.
/// </summary>
/// <remarks>The cycle and warming share its buffers, so passes are serialised by <see cref="_gate"/>.</remarks>
internal sealed class PrefetchCycle : IDisposable
{
    private const double BudgetPacingShare = 4d;

    private readonly AccessTracker _tracker;
    private readonly FeatureVectorBuilder _features;
    private readonly float[] _featureBuffer;
    private readonly CandidateGenerator _generator;
    private readonly ActivePredictor _predictor;
    private readonly StrategySelector _strategies;
    private readonly ResourceMonitor _resources;
    private readonly PrefetchSourceResolver _sources;
    private readonly PrefetchExecutor _executor;
    private readonly PrefetchBudget _budget;
    private readonly PrefetchAccuracy _accuracy;
    private readonly PrefetchOutcomeWatch _outcomes;
    private readonly PrefetchStatistics _statistics;
    private readonly KeyPriorities _priorities;
    private readonly IPrefetchCoordinator _coordinator;
    private readonly CandidateExpiries _expiries;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly long _cycleTicks;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<Candidate> _candidates = [];
    private readonly List<ScoredCandidate> _scored = [];
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
    private string? _pausedReason;
    private bool _reportedNoSource;

    public PrefetchCycle(
        AccessTracker tracker,
        FeatureVectorBuilder features,
        CandidateGenerator generator,
        ActivePredictor predictor,
        StrategySelector strategies,
        ResourceMonitor resources,
        PrefetchSourceResolver sources,
        PrefetchExecutor executor,
        PrefetchBudget budget,
        PrefetchAccuracy accuracy,
        PrefetchOutcomeWatch outcomes,
        PrefetchStatistics statistics,
        KeyPriorities priorities,
        CandidateExpiries expiries,
        IPrefetchCoordinator coordinator,
        TimeProvider time,
        IOptions<PredictiveLoadingOptions> options,
        ILogger<PrefetchCycle> logger)
    {
        _tracker = tracker;
        _features = features;
        _featureBuffer = new float[features.Schema.Count];
        _generator = generator;
        _predictor = predictor;
        _strategies = strategies;
        _resources = resources;
        _sources = sources;
        _executor = executor;
        _budget = budget;
        _accuracy = accuracy;
        _outcomes = outcomes;
        _statistics = statistics;
        _priorities = priorities;
        _coordinator = coordinator;
        _expiries = expiries;
        _time = time;
        _logger = logger;
        _cycleTicks = options.Value.Prefetch.CycleInterval.Ticks;
    }

    public string? PausedReason => Volatile.Read(ref _pausedReason);

    public void Dispose() => _gate.Dispose();

    public async Task<PrefetchCycleResult> RunAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            long now = _time.GetUtcNow().UtcTicks;
            _statistics.OnCycle();
            _outcomes.Settle(now);
            _candidates.Clear();
            _generator.Collect(now, _candidates);
            await _expiries.RefreshAsync(_candidates, now, now + (2 * _cycleTicks), cancellationToken).ConfigureAwait(false);
            if (_coordinator.UnavailableReason is not null)
            {
                await ProbeCoordinatorAsync(cancellationToken).ConfigureAwait(false);
            }

            return Dispatch(now, rankByPriority: false);
        }
        finally
        {
            _expiries.Clear();
            _gate.Release();
        }
    }

    /// <summary>
    /// Scores candidates proposed from outside the cycle (warming), ranks them by probability × priority and starts
    /// them in batches, waiting for each batch to finish; stops when a batch starts nothing (budget, limits).
    /// </summary>
    public async Task<PrefetchCycleResult> RunWarmingAsync(List<Candidate> candidates, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var tally = new Tally();
        long now;
        IPrefetchStrategy strategy;
        List<ScoredCandidate> ranked;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            now = _time.GetUtcNow().UtcTicks;
            strategy = _strategies.Current;
            ResourceSnapshot resources = _resources.Current;
            string? blocked = PauseReason(resources, strategy) ?? _coordinator.UnavailableReason ?? (_sources.HasSources ? null : "no prefetch source is registered");
            if (blocked is not null)
            {
                return tally.ToResult(strategy, blocked);
            }

            _candidates.Clear();
            _candidates.AddRange(candidates);
            Score(now, strategy, resources, rankByPriority: true, ref tally);
            ranked = [.. _scored];
        }
        finally
        {
            _gate.Release();
        }

        for (int batch = 0; batch < ranked.Count; batch += batchSize)
        {
            int startedBefore = tally.Started;
            int end = Math.Min(ranked.Count, batch + batchSize);
            for (int i = batch; i < end; i++)
            {
                while (!_executor.HasCapacity)
                {
                    await _executor.WhenIdleAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
                }

                StartOne(ranked[i], now, strategy, ref tally);
            }

            await _executor.WhenIdleAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            if (tally.Started == startedBefore)
            {
                break;
            }
        }

        return tally.ToResult(strategy, null);
    }

    /// <summary>Predicts one key with the current strategy, predictor and resources.</summary>
    public KeyPrediction Predict(PredictionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request.Key);
        long now = _time.GetUtcNow().UtcTicks;
        IPrefetchStrategy strategy = _strategies.Current;
        ResourceSnapshot resources = _resources.Current;
        _tracker.TryGet(request.Key, out KeyAccessStatistics? entry);
        double priority = request.Priority is { } level ? _priorities.WeightOf(level) : _priorities.WeightOf(request.Key);
        var context = new PredictionContext(request.Key, entry, now, strategy.LookaheadWindow, resources, priority, request.IsSequential, 0d, request.SizeBytes ?? -1);
        AccessPrediction prediction = Score(in context, featureBuffer: null);
        long size = request.SizeBytes ?? prediction.PredictedSizeBytes;
        double confidence = PredictionConfidence.Compute(prediction.Probability, _accuracy.ConfidenceAccuracy, resources, priority, request.IsSequential, size);
        return new KeyPrediction(request.Key, prediction.Probability, size, confidence, prediction.Probability >= strategy.ConfidenceThreshold, strategy.Name);
    }

    private PrefetchCycleResult Dispatch(long now, bool rankByPriority)
    {
        IPrefetchStrategy strategy = _strategies.Current;
        ResourceSnapshot resources = _resources.Current;
        var tally = new Tally();

        string? paused = PauseReason(resources, strategy) ?? _coordinator.UnavailableReason;
        UpdatePaused(paused);
        if (paused is not null)
        {
            KeepRhythmCandidatesForLater(now);
            return tally.ToResult(strategy, paused);
        }

        if (!_sources.HasSources)
        {
            if (!_reportedNoSource)
            {
                _reportedNoSource = true;
                Log.NoPrefetchSource(_logger);
            }

            return tally.ToResult(strategy, "no prefetch source is registered");
        }

        Score(now, strategy, resources, rankByPriority, ref tally);
        Start(now, strategy, ref tally);
        return tally.ToResult(strategy, null);
    }

    private void Score(long now, IPrefetchStrategy strategy, ResourceSnapshot resources, bool rankByPriority, ref Tally tally)
    {
        _scored.Clear();
        _keys.Clear();
        double accuracy = _accuracy.ConfidenceAccuracy;
        long presenceHorizon = now + (2 * _cycleTicks);
        foreach (Candidate proposed in _candidates)
        {
            if (proposed.Key.Length == 0 || !_keys.Add(proposed.Key))
            {
                continue;
            }

            tally.Candidates++;
            Candidate candidate = proposed;
            if (candidate.Entry is null && _tracker.TryGet(candidate.Key, out KeyAccessStatistics? tracked))
            {
                candidate = candidate with { Entry = tracked };
            }

            if (_executor.IsInFlight(candidate.Key))
            {
                tally.InFlight++;
                continue;
            }

            // A copy written by another instance, found by the expiry lookup, serves the read as well as our own.
            if (_expiries.CoversRead(in candidate, presenceHorizon))
            {
                tally.Present++;
                continue;
            }

            KeyAccessStatistics? entry = candidate.Entry;
            if (candidate.Reason is CandidateReason.Expiry or CandidateReason.CoAccess && entry is not null)
            {
                // These candidates carry their own estimate, made at the decision point from the evidence that proposed
                // them (outcomes of earlier expiries; co-reads per episode), and their own presence check (a copy about
                // to expire; a partner missing or expiring within moments): the rhythm model would only count twice.
                tally.Scored++;
                if (candidate.Prior < strategy.ConfidenceThreshold)
                {
                    tally.BelowThreshold++;
                    continue;
                }

                var decided = new AccessPrediction(candidate.Prior, Math.Max(0, entry.LastSize));
                double weight = _priorities.WeightOf(candidate.Key);
                double decidedConfidence = PredictionConfidence.Compute(decided.Probability, accuracy, resources, weight, false, decided.PredictedSizeBytes);
                _scored.Add(new ScoredCandidate(candidate, decided, rankByPriority ? decided.Probability * weight : decidedConfidence));
                continue;
            }

            if (candidate.Reason == CandidateReason.Rhythm && entry is not null)
            {
                double mean = entry.MeanIntervalSeconds;
                long nextRead = entry.LastReadTicks + (long)(mean * TimeSpan.TicksPerSecond);
                if (entry.IsExpectedPresentAt(nextRead))
                {
                    tally.Present++;
                    continue;
                }

                long refreshAt = nextRead - _generator.LeadTicks(mean, entry.IntervalStandardDeviation, entry.LastTimeToLiveTicks);
                if (now < refreshAt)
                {
                    _generator.Reschedule(entry, refreshAt);
                    tally.Deferred++;
                    continue;
                }
            }
            // Co-access candidates were checked against the window in which their read is expected, not two cycles.
            else if (entry is not null && candidate.Reason != CandidateReason.CoAccess && entry.IsExpectedPresentAt(presenceHorizon))
            {
                tally.Present++;
                continue;
            }

            double priority = _priorities.WeightOf(candidate.Key);
            var context = new PredictionContext(candidate.Key, entry, now, strategy.LookaheadWindow, resources, priority, candidate.IsSequential, candidate.Prior, candidate.SizeHint);
            AccessPrediction prediction = Score(in context, _featureBuffer);
            tally.Scored++;
            if (prediction.Probability < strategy.ConfidenceThreshold)
            {
                tally.BelowThreshold++;
                continue;
            }

            double confidence = PredictionConfidence.Compute(prediction.Probability, accuracy, resources, priority, candidate.IsSequential, prediction.PredictedSizeBytes);
            double rank = rankByPriority ? prediction.Probability * priority : confidence;
            _scored.Add(new ScoredCandidate(candidate, prediction, rank));
        }

        _scored.Sort(static (a, b) => b.Rank.CompareTo(a.Rank));
    }

    private void Start(long now, IPrefetchStrategy strategy, ref Tally tally)
    {
        foreach (ScoredCandidate scored in _scored)
        {
            StartOne(scored, now, strategy, ref tally);
        }
    }

    private void StartOne(ScoredCandidate scored, long now, IPrefetchStrategy strategy, ref Tally tally)
    {
        Candidate candidate = scored.Candidate;
        PrefetchSource? source = _sources.Find(candidate.Key);
        if (source is null)
        {
            tally.NoSource++;
            return;
        }

        // A source whose breaker is open or whose slots are taken is skipped before any budget is reserved for it.
        PrefetchStartResult admitted = source.CanStart(now);
        if (admitted != PrefetchStartResult.Started)
        {
            CountNotStarted(admitted, candidate, now, ref tally);
            return;
        }

        long size = scored.Prediction.PredictedSizeBytes;
        if (size > _executor.ValueCap(strategy.PrefetchBudgetBytes))
        {
            tally.Oversize++;
            return;
        }

        // Pacing: once half the budget is spent, one prefetch may take at most a quarter of what is left, scaled by its
        // probability, so that a few large values cannot spend what many small ones later in the window would use.
        long budget = strategy.PrefetchBudgetBytes;
        long remaining = _budget.Remaining(now, strategy.LookaheadWindow, budget);
        if ((remaining < budget / 2 && size > remaining * scored.Prediction.Probability / BudgetPacingShare)
            || !_budget.TryReserve(size, now, strategy.LookaheadWindow, strategy.PrefetchBudgetBytes))
        {
            tally.Budget++;
            RetryNextCycle(candidate, now);
            return;
        }

        PrefetchStartResult started = _executor.TryStart(candidate.Key, source, size, strategy.LookaheadWindow, strategy.PrefetchBudgetBytes);
        if (started == PrefetchStartResult.Started)
        {
            tally.Started++;
            return;
        }

        _budget.Release(size);
        CountNotStarted(started, candidate, now, ref tally);
    }

    private void CountNotStarted(PrefetchStartResult result, Candidate candidate, long now, ref Tally tally)
    {
        switch (result)
        {
            case PrefetchStartResult.AlreadyInFlight:
                tally.InFlight++;
                break;
            case PrefetchStartResult.BreakerOpen:
                tally.BreakerOpen++;
                break;
            case PrefetchStartResult.SourceBusy:
                tally.SourceBusy++;
                RetryNextCycle(candidate, now);
                break;
            default:
                tally.Saturated++;
                RetryNextCycle(candidate, now);
                break;
        }
    }

    // The cycle passes its shared buffer (it holds _gate); Predict, which may run concurrently, passes none and gets its own.
    private AccessPrediction Score(in PredictionContext context, float[]? featureBuffer)
    {
        IAccessPredictor predictor = _predictor.Current;
        if (!predictor.UsesFeatures)
        {
            return predictor.Predict(in context, ReadOnlySpan<float>.Empty);
        }

        featureBuffer ??= new float[_features.Schema.Count];
        _features.Fill(in context, featureBuffer);
        return predictor.Predict(in context, featureBuffer);
    }

    private void RetryNextCycle(Candidate candidate, long now)
    {
        if (candidate.Reason == CandidateReason.Rhythm && candidate.Entry is { } entry)
        {
            _generator.Reschedule(entry, now + _cycleTicks);
        }
    }

    private void KeepRhythmCandidatesForLater(long now)
    {
        foreach (Candidate candidate in _candidates)
        {
            RetryNextCycle(candidate, now);
        }
    }

    private static string? PauseReason(ResourceSnapshot resources, IPrefetchStrategy strategy)
    {
        double limit = strategy.ResourceLimit;
        if (resources.Memory > limit)
        {
            return FormattableString.Invariant($"memory {resources.Memory:0.00} is above the {strategy.Name} limit {limit}");
        }

        if (resources.Cpu > limit)
        {
            return FormattableString.Invariant($"CPU {resources.Cpu:0.00} is above the {strategy.Name} limit {limit}");
        }

        if (resources.Custom > limit)
        {
            return FormattableString.Invariant($"an application resource ({resources.Custom:0.00}) is above the {strategy.Name} limit {limit}");
        }

        return null;
    }

    // Nothing else may talk to the store while prefetching is paused, and a hang ends without a reconnection event: the
    // probe is how a paused coordinator learns it can resume. Its failures are the coordinator's to report.
    private async ValueTask ProbeCoordinatorAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _coordinator.ProbeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The coordinator stays unavailable; the next cycle probes again.
        }
    }

    private void UpdatePaused(string? reason)
    {
        string? previous = Interlocked.Exchange(ref _pausedReason, reason);
        if (reason is not null && previous is null)
        {
            Log.PrefetchingPaused(_logger, reason);
        }
        else if (reason is null && previous is not null)
        {
            Log.PrefetchingResumed(_logger);
        }
    }

    private readonly record struct ScoredCandidate(Candidate Candidate, AccessPrediction Prediction, double Rank);

    private struct Tally
    {
        public int Candidates;
        public int Scored;
        public int Started;
        public int Present;
        public int Deferred;
        public int BelowThreshold;
        public int NoSource;
        public int Budget;
        public int InFlight;
        public int Saturated;
        public int BreakerOpen;
        public int SourceBusy;
        public int Oversize;

        public readonly PrefetchCycleResult ToResult(IPrefetchStrategy strategy, string? paused) => new()
        {
            Strategy = strategy.Name,
            PausedReason = paused,
            Candidates = Candidates,
            Scored = Scored,
            Started = Started,
            SkippedPresent = Present,
            Deferred = Deferred,
            SkippedBelowThreshold = BelowThreshold,
            SkippedNoSource = NoSource,
            SkippedBudget = Budget,
            SkippedInFlight = InFlight,
            SkippedSaturated = Saturated,
            SkippedBreakerOpen = BreakerOpen,
            SkippedSourceBusy = SourceBusy,
            SkippedOversize = Oversize,
        };
    }
}
