using System.Diagnostics.Metrics;
using PredictiveCaching.Diagnostics;
using PredictiveCaching.Loop.Admission;
using PredictiveCaching.Loop.Execution;
using PredictiveCaching.Loop.Outcomes;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Strategies;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Telemetry;

/// <summary>
/// The core package's instruments on one <see cref="Meter"/> named <see cref="PredictiveCachingDiagnostics.MeterName"/>.
/// Counts are observable (read from the running totals when collected), so the read path pays nothing for metrics;
/// the durations the background loops record are <see cref="LoopDurations"/>, on the same meter.
/// </summary>
internal sealed class PredictiveCachingMetrics
{
    private const string LoadResult = "predictive_caching.prefetch.load.result";
    private const string CopyOutcome = "predictive_caching.prefetch.copy.outcome";

    public PredictiveCachingMetrics(
        IMeterFactory meterFactory,
        AccessTracker tracker,
        PrefetchStatistics statistics,
        PrefetchPrecision accuracy,
        PrefetchBudget budget,
        StrategySelector strategies,
        PrefetchSourceResolver sources,
        TimeProvider time)
    {
        Meter meter = meterFactory.Create(PredictiveCachingDiagnostics.MeterName);

        meter.CreateObservableCounter("predictive_caching.cache.reads", () => Reads(tracker), "{read}", "Reads through the predictive cache, by outcome (hit or miss).");
        meter.CreateObservableUpDownCounter("predictive_caching.tracking.key.count", () => tracker.Count, "{key}", "Keys whose reads are tracked.");
        meter.CreateObservableUpDownCounter("predictive_caching.tracking.memory.usage", () => tracker.TrackedBytes, "By", "Estimated bytes the tracked keys take, key strings included.");
        meter.CreateObservableCounter("predictive_caching.tracking.evictions", () => tracker.Evictions, "{key}", "Tracked keys evicted to keep the bound.");

        meter.CreateObservableCounter("predictive_caching.prefetch.started", () => statistics.Started, "{prefetch}", "Prefetches started.");
        meter.CreateObservableCounter("predictive_caching.prefetch.loads", () => Loads(statistics), "{prefetch}", "Prefetches that ended, by result (written, failed, timed_out, superseded, empty, not_granted, unusable_by_hybrid_cache).");
        meter.CreateObservableCounter("predictive_caching.prefetch.copies", () => Copies(accuracy), "{copy}", "Prefetched copies whose fate is known, by outcome: used (read within its life) or wasted.");
        meter.CreateObservableCounter("predictive_caching.prefetch.skipped", () => SkippedMeasurements(statistics), "{candidate}", "Candidates not prefetched, by reason.");
        meter.CreateObservableCounter("predictive_caching.prefetch.source.can_load_failures", () => statistics.CanLoadFailed, "{call}", "Calls of a prefetch source's CanLoad that threw (the key was treated as not the source's).");
        meter.CreateObservableCounter("predictive_caching.prefetch.source.breaker.openings", () => statistics.BreakerOpenings, "{opening}", "Times a prefetch source's circuit breaker opened after failures or timeouts.");
        meter.CreateObservableUpDownCounter("predictive_caching.prefetch.source.count", () => SourcesByBreakerState(sources), "{source}", "Registered prefetch sources, by the state of their circuit breaker (closed, open, half_open).");
        meter.CreateObservableCounter("predictive_caching.prefetch.bytes", () => statistics.BytesPrefetched, "By", "Bytes written by prefetches.");
        meter.CreateObservableGauge(
            "predictive_caching.prefetch.budget.remaining",
            () =>
            {
                IPrefetchStrategy strategy = strategies.Current;
                return budget.Remaining(time.GetUtcNow().UtcTicks, strategy.LookaheadWindow, strategy.PrefetchBudgetBytes);
            },
            "By",
            "Bytes left in the current lookahead window's prefetch budget.");
        meter.CreateObservableGauge("predictive_caching.prefetch.precision", () => Known(accuracy.Precision), "1", "Used / (used + wasted) over the accuracy window.");
        meter.CreateObservableGauge("predictive_caching.prefetch.recall", () => Known(accuracy.Recall), "1", "Share of non-compulsory reads served by a prefetched copy.");
        meter.CreateObservableGauge(
            "predictive_caching.strategy.current",
            () => new Measurement<int>(1, new KeyValuePair<string, object?>("predictive_caching.strategy", strategies.Current.Name)),
            "{strategy}",
            "The strategy in force (value 1, tagged with its name).");
        meter.CreateObservableCounter("predictive_caching.strategy.changes", () => strategies.Changes, "{change}", "Changes of strategy.");
        meter.CreateObservableCounter("predictive_caching.cycle.paused", () => statistics.PausedCycles, "{cycle}", "Prefetch cycles that did not prefetch because of resources or a missing source.");
    }

    private static Measurement<long>[] Reads(AccessTracker tracker)
    {
        (long reads, long hits) = tracker.CountReads();
        return [Tagged(hits, "predictive_caching.read.outcome", "hit"), Tagged(reads - hits, "predictive_caching.read.outcome", "miss")];
    }

    private static Measurement<long>[] Loads(PrefetchStatistics statistics) =>
    [
        Tagged(statistics.Completed, LoadResult, "written"),
        Tagged(statistics.Failed, LoadResult, "failed"),
        Tagged(statistics.TimedOut, LoadResult, "timed_out"),
        Tagged(statistics.Superseded, LoadResult, "superseded"),
        Tagged(statistics.Empty, LoadResult, "empty"),
        Tagged(statistics.NotGranted, LoadResult, "not_granted"),
        Tagged(statistics.BytesForHybridCache, LoadResult, "unusable_by_hybrid_cache"),
    ];

    private static Measurement<long>[] Copies(PrefetchPrecision accuracy) =>
        [Tagged(accuracy.UsedCount, CopyOutcome, "used"), Tagged(accuracy.WastedCount, CopyOutcome, "wasted")];

    private static Measurement<int>[] SourcesByBreakerState(PrefetchSourceResolver resolver)
    {
        int closed = 0, open = 0, halfOpen = 0;
        foreach (PrefetchSource source in resolver.Sources)
        {
            switch (source.BreakerState)
            {
                case Polly.CircuitBreaker.CircuitState.Closed:
                    closed++;
                    break;
                case Polly.CircuitBreaker.CircuitState.HalfOpen:
                    halfOpen++;
                    break;
                default:
                    open++;
                    break;
            }
        }

        const string State = "predictive_caching.breaker.state";
        return
        [
            new Measurement<int>(closed, new KeyValuePair<string, object?>(State, "closed")),
            new Measurement<int>(open, new KeyValuePair<string, object?>(State, "open")),
            new Measurement<int>(halfOpen, new KeyValuePair<string, object?>(State, "half_open")),
        ];
    }

    private static Measurement<long> Tagged(long value, string key, string tag) => new(value, new KeyValuePair<string, object?>(key, tag));

    private static IEnumerable<Measurement<double>> Known(double value) =>
        double.IsNaN(value) ? [] : [new Measurement<double>(value)];

    private static IEnumerable<Measurement<long>> SkippedMeasurements(PrefetchStatistics statistics)
    {
        foreach ((string reason, long count) in statistics.SkippedByReason())
        {
            yield return Tagged(count, "predictive_caching.prefetch.skip.reason", reason);
        }
    }
}
