using System.Diagnostics;
using PredictiveCaching.Diagnostics;
using PredictiveCaching.Loop.Admission;
using PredictiveCaching.Loop.Candidates;
using PredictiveCaching.Loop.Execution;
using PredictiveCaching.Loop.Outcomes;
using PredictiveCaching.Prediction;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Resources;
using PredictiveCaching.Strategies;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Loop;

/// <summary>The <see cref="IPredictiveLoader"/> over the prefetch cycle and its bookkeeping.</summary>
internal sealed class PredictiveLoader(
    PrefetchCycle cycle,
    ApplicationHints hints,
    StrategySelector strategies,
    ActivePredictor predictor,
    SharedModelSync sharedModels,
    ResourceMonitor resources,
    PrefetchPrecision accuracy,
    PrefetchStatistics statistics,
    PrefetchBudget budget,
    PrefetchExecutor executor,
    AccessTracker tracker,
    LoopDurations durations,
    PredictiveCachingTracing tracing,
    TimeProvider time,
    ILearnedModelStatusSource? modelStatus = null) : IPredictiveLoader
{
    public KeyPrediction Predict(PredictionRequest request) => cycle.Predict(request);

    public int ExpectReads(IEnumerable<string> keys, double probability = 1d) => hints.Add(keys, probability);

    public async Task<PrefetchCycleResult> RunCycleAsync(CancellationToken cancellationToken = default)
    {
        DateTimeOffset startedAt = time.GetUtcNow();
        long started = time.GetTimestamp();

        // A newer model another instance published is taken before this cycle scores (one cheap version check).
        await sharedModels.RefreshAsync(cancellationToken).ConfigureAwait(false);
        PrefetchCycleResult result = await cycle.RunAsync(cancellationToken).ConfigureAwait(false);
        TimeSpan elapsed = time.GetElapsedTime(started);
        durations.RecordCycle(elapsed);
        statistics.OnDispatched(result);

        // A span only for a cycle that had candidates: an idle host would otherwise send one trace a second. It is made
        // once the cycle is over, with the cycle's start and duration, so that idle cycles cost no span at all.
        if (result.Candidates > 0 && tracing.Source.HasListeners())
        {
            using Activity? activity = tracing.Source.StartActivity("predictive_caching.cycle", ActivityKind.Internal, parentContext: default, startTime: startedAt);
            result.Tag(activity);
            activity?.SetEndTime((startedAt + elapsed).UtcDateTime);
        }

        return result;
    }

    public Task WaitForPrefetchesAsync(CancellationToken cancellationToken = default) =>
        executor.WhenIdleAsync().WaitAsync(cancellationToken);

    public PredictiveLoaderStatus GetStatus()
    {
        IPrefetchStrategy strategy = strategies.Current;
        return new PredictiveLoaderStatus
        {
            Strategy = strategy.Name,
            IsAdaptive = strategies.IsAdaptive,
            StrategyChanges = strategies.Changes,
            PredictorKind = predictor.Current.Kind,
            Precision = accuracy.Precision,
            RecentPrecision = accuracy.RecentPrecision,
            Recall = accuracy.Recall,
            PrefetchesUsed = accuracy.UsedCount,
            PrefetchesWasted = accuracy.WastedCount,
            PrefetchesStarted = statistics.Started,
            PrefetchesCompleted = statistics.Completed,
            PrefetchesFailed = statistics.Failed,
            PrefetchesTimedOut = statistics.TimedOut,
            PrefetchesSuperseded = statistics.Superseded,
            PrefetchesUnusableByHybridCache = statistics.BytesForHybridCache,
            PrefetchesNotGranted = statistics.NotGranted,
            BytesPrefetched = statistics.BytesPrefetched,
            BudgetRemainingBytes = budget.Remaining(time.GetUtcNow().UtcTicks, strategy.LookaheadWindow, strategy.PrefetchBudgetBytes),
            InFlight = executor.Running,
            TrackedKeys = tracker.Count,
            TrackedBytes = tracker.TrackedBytes,
            Cycles = statistics.Cycles,
            PausedReason = cycle.PausedReason,
            Resources = resources.Current,
            Model = modelStatus?.GetStatus(),
        };
    }
}
