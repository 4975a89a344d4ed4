using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PredictiveCaching.Diagnostics;
using PredictiveCaching.Loop.Admission;
using PredictiveCaching.Loop.Candidates;
using PredictiveCaching.Loop.Execution;
using PredictiveCaching.Loop.Outcomes;
using PredictiveCaching.Loop.Scoring;
using PredictiveCaching.Prediction;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Resources;
using PredictiveCaching.Strategies;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Loop;

/// <summary>
/// One pass of the prediction loop, through its stages: <see cref="CandidateCollector"/> proposes keys,
/// <see cref="CandidatePresence"/> drops those whose copy will serve the read anyway, <see cref="CandidateScorer"/>
/// scores the rest, <see cref="PrefetchAdmission"/> keeps and orders those the strategy admits and reserves their bytes,
/// and <see cref="PrefetchExecutor"/> starts them through their source. The cycle only passes candidates along and
/// counts what each stage did.
/// </summary>
/// <remarks>The cycle and warming share its buffers, so passes are serialised by <see cref="_gate"/>.</remarks>
internal sealed class PrefetchCycle : IDisposable
{
    private readonly AccessTracker _tracker;
    private readonly CandidateCollector _collector;
    private readonly CandidateExpiries _expiries;
    private readonly CandidatePresence _presence;
    private readonly CandidateScorer _scorer;
    private readonly PrefetchAdmission _admission;
    private readonly PrefetchSourceResolver _sources;
    private readonly PrefetchExecutor _executor;
    private readonly PrefetchOutcomeWatch _outcomes;
    private readonly PrefetchStatistics _statistics;
    private readonly PrefetchPrecision _accuracy;
    private readonly StrategySelector _strategies;
    private readonly ResourceMonitor _resources;
    private readonly IPrefetchCoordinator _coordinator;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly long _cycleTicks;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<Candidate> _candidates = [];
    private readonly List<RankedCandidate> _ranked = [];
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
    private readonly HashSet<string> _settledKeys = new(StringComparer.Ordinal);
    private string? _pausedReason;
    private bool _reportedNoSource;

    public PrefetchCycle(
        AccessTracker tracker,
        CandidateCollector collector,
        CandidateExpiries expiries,
        CandidatePresence presence,
        CandidateScorer scorer,
        PrefetchAdmission admission,
        PrefetchSourceResolver sources,
        PrefetchExecutor executor,
        PrefetchOutcomeWatch outcomes,
        PrefetchStatistics statistics,
        PrefetchPrecision accuracy,
        StrategySelector strategies,
        ResourceMonitor resources,
        IPrefetchCoordinator coordinator,
        TimeProvider time,
        IOptions<PredictiveLoadingOptions> options,
        ILogger<PrefetchCycle> logger)
    {
        _tracker = tracker;
        _collector = collector;
        _expiries = expiries;
        _presence = presence;
        _scorer = scorer;
        _admission = admission;
        _sources = sources;
        _executor = executor;
        _outcomes = outcomes;
        _statistics = statistics;
        _accuracy = accuracy;
        _strategies = strategies;
        _resources = resources;
        _coordinator = coordinator;
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
            _scorer.BeginCycle(now);
            _candidates.Clear();
            _collector.Collect(now, _candidates);
            await _expiries.RefreshAsync(_candidates, now, now + (2 * _cycleTicks), cancellationToken).ConfigureAwait(false);
            if (_coordinator.UnavailableReason is not null)
            {
                await ProbeCoordinatorAsync(cancellationToken).ConfigureAwait(false);
            }

            return Dispatch(now);
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
        var tally = new CycleTally();
        long now;
        IPrefetchStrategy strategy;
        List<RankedCandidate> ranked;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            now = _time.GetUtcNow().UtcTicks;
            strategy = _strategies.Current;
            ResourceSnapshot resources = _resources.Current;
            string? blocked = PrefetchAdmission.PauseReason(resources, strategy) ?? _coordinator.UnavailableReason ?? (_sources.HasSources ? null : "no prefetch source is registered");
            if (blocked is not null)
            {
                return tally.ToResult(strategy, blocked);
            }

            _candidates.Clear();
            _candidates.AddRange(candidates);
            Rank(now, strategy, resources, rankByPriority: true, ref tally);
            ranked = [.. _ranked];
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

                Start(ranked[i], now, strategy, ref tally);
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
        (AccessPrediction prediction, double priority) = _scorer.Score(request, now, strategy.LookaheadWindow, resources);
        long size = request.SizeBytes ?? prediction.PredictedSizeBytes;
        double confidence = PredictionConfidence.Compute(prediction.Probability, _accuracy.RecentPrecision, resources, priority, request.IsSequential, size);
        return new KeyPrediction(request.Key, prediction.Probability, size, confidence, prediction.Probability >= strategy.ProbabilityThreshold, strategy.Name);
    }

    private PrefetchCycleResult Dispatch(long now)
    {
        IPrefetchStrategy strategy = _strategies.Current;
        ResourceSnapshot resources = _resources.Current;
        var tally = new CycleTally();

        string? paused = PrefetchAdmission.PauseReason(resources, strategy) ?? _coordinator.UnavailableReason;
        UpdatePaused(paused);
        if (paused is not null)
        {
            foreach (Candidate candidate in _candidates)
            {
                RetryNextCycle(candidate, now);
            }

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

        Rank(now, strategy, resources, rankByPriority: false, ref tally);
        foreach (RankedCandidate ranked in _ranked)
        {
            Start(ranked, now, strategy, ref tally);
        }

        return tally.ToResult(strategy, null);
    }

    // Candidates → presence → scoring → admission's threshold and order, into _ranked.
    private void Rank(long now, IPrefetchStrategy strategy, ResourceSnapshot resources, bool rankByPriority, ref CycleTally tally)
    {
        _ranked.Clear();
        _keys.Clear();
        _settledKeys.Clear();
        long presenceHorizon = now + (2 * _cycleTicks);
        foreach (Candidate proposed in _candidates)
        {
            // A key proposed by several mechanisms is admitted when any of them is confident enough: each proposal is
            // scored on its own evidence until one is ranked (or the key is found in flight or present).
            if (proposed.Key.Length == 0 || _settledKeys.Contains(proposed.Key))
            {
                continue;
            }

            if (_keys.Add(proposed.Key))
            {
                tally.Candidates++;
            }

            Candidate candidate = proposed;
            if (candidate.Entry is null && _tracker.TryGet(candidate.Key, out KeyAccessStatistics? tracked))
            {
                candidate = candidate with { Entry = tracked };
            }

            if (_executor.IsInFlight(candidate.Key))
            {
                tally.InFlight++;
                _settledKeys.Add(candidate.Key);
                continue;
            }

            switch (_presence.Check(in candidate, now, presenceHorizon))
            {
                case PresenceCheck.Present:
                    tally.Present++;
                    _settledKeys.Add(candidate.Key);
                    continue;
                case PresenceCheck.Deferred:
                    tally.Deferred++;
                    continue;
            }

            ScoredCandidate scored = _scorer.Score(in candidate, now, strategy.LookaheadWindow, resources);
            tally.Scored++;
            if (_admission.TryRank(in scored, strategy, resources, rankByPriority, _ranked))
            {
                _settledKeys.Add(candidate.Key);
            }
            else
            {
                tally.BelowThreshold++;
            }
        }

        PrefetchAdmission.Order(_ranked);
    }

    private void Start(in RankedCandidate ranked, long now, IPrefetchStrategy strategy, ref CycleTally tally)
    {
        Candidate candidate = ranked.Scored.Candidate;
        PrefetchSource? source = _sources.Find(candidate.Key);
        if (source is null)
        {
            tally.NoSource++;
            return;
        }

        // A source whose breaker is open or whose slots are taken is skipped before any budget is reserved for it.
        PrefetchStartResult available = source.CanStart(now);
        if (available != PrefetchStartResult.Started)
        {
            CountNotStarted(available, candidate, now, ref tally);
            return;
        }

        switch (_admission.TryReserve(in ranked, now, strategy))
        {
            case AdmissionResult.Oversize:
                tally.Oversize++;
                return;
            case AdmissionResult.Budget:
                tally.Budget++;
                RetryNextCycle(candidate, now);
                return;
        }

        long size = ranked.Scored.Prediction.PredictedSizeBytes;
        PrefetchStartResult started = _executor.TryStart(candidate.Key, source, size, strategy.LookaheadWindow, strategy.PrefetchBudgetBytes);
        if (started == PrefetchStartResult.Started)
        {
            tally.Started++;
            return;
        }

        _admission.Release(size);
        CountNotStarted(started, candidate, now, ref tally);
    }

    private void CountNotStarted(PrefetchStartResult result, Candidate candidate, long now, ref CycleTally tally)
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

    private void RetryNextCycle(Candidate candidate, long now)
    {
        if (candidate.Reason == CandidateReason.Rhythm && candidate.Entry is { } entry)
        {
            _collector.Rhythm.Reschedule(entry, now + _cycleTicks);
        }
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
}
