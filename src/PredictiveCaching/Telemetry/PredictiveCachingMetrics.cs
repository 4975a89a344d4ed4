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
    public PredictiveCachingMetrics(
        IMeterFactory meterFactory,
        AccessTracker tracker,
        PrefetchStatistics statistics,
        PrefetchAccuracy accuracy,
        PrefetchBudget budget,
        StrategySelector strategies,
        PrefetchSourceResolver sources,
        TimeProvider time)
    {
        Meter meter = meterFactory.Create(PredictiveCachingDiagnostics.MeterName);

        meter.CreateObservableCounter("predictive_caching.cache.hits", () => tracker.CountReads().Hits, "{read}", "Reads through the predictive cache that found a value.");
        meter.CreateObservableCounter("predictive_caching.cache.misses", () => Misses(tracker), "{read}", "Reads through the predictive cache that found nothing.");
        meter.CreateObservableUpDownCounter("predictive_caching.tracking.keys", () => tracker.Count, "{key}", "Keys whose reads are tracked.");
        meter.CreateObservableUpDownCounter("predictive_caching.tracking.bytes", () => tracker.TrackedBytes, "By", "Estimated bytes the tracked keys take, key strings included.");
        meter.CreateObservableCounter("predictive_caching.tracking.evictions", () => tracker.Evictions, "{key}", "Tracked keys evicted to keep the bound.");

        meter.CreateObservableCounter("predictive_caching.prefetch.started", () => statistics.Started, "{prefetch}", "Prefetches started.");
        meter.CreateObservableCounter("predictive_caching.prefetch.completed", () => statistics.Completed, "{prefetch}", "Prefetches that wrote a value.");
        meter.CreateObservableCounter("predictive_caching.prefetch.used", () => accuracy.UsedCount, "{prefetch}", "Prefetched copies read before they expired or their window ended.");
        meter.CreateObservableCounter("predictive_caching.prefetch.wasted", () => accuracy.WastedCount, "{prefetch}", "Prefetched copies never read.");
        meter.CreateObservableCounter("predictive_caching.prefetch.failed", () => statistics.Failed, "{prefetch}", "Prefetches whose source or cache write failed.");
        meter.CreateObservableCounter("predictive_caching.prefetch.timed_out", () => statistics.TimedOut, "{prefetch}", "Prefetches abandoned after the time limit.");
        meter.CreateObservableCounter("predictive_caching.prefetch.skipped", () => SkippedMeasurements(statistics), "{prefetch}", "Candidates not prefetched, by reason.");
        meter.CreateObservableCounter("predictive_caching.prefetch.source.can_load_failed", () => statistics.CanLoadFailed, "{call}", "Calls of a prefetch source's CanLoad that threw (the key was treated as not the source's).");
        meter.CreateObservableCounter("predictive_caching.prefetch.source.breaker_opened", () => statistics.BreakerOpenings, "{opening}", "Times a prefetch source's circuit breaker opened after failures or timeouts.");
        meter.CreateObservableUpDownCounter("predictive_caching.prefetch.source.breakers_open", () => OpenBreakers(sources), "{source}", "Prefetch sources whose circuit breaker is open or half-open.");
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
            () => new Measurement<int>(1, new KeyValuePair<string, object?>("strategy", strategies.Current.Name)),
            "{strategy}",
            "The strategy in force (value 1, tagged with its name).");
        meter.CreateObservableCounter("predictive_caching.strategy.changes", () => strategies.Changes, "{change}", "Changes of strategy.");
        meter.CreateObservableCounter("predictive_caching.cycle.paused", () => statistics.PausedCycles, "{cycle}", "Prefetch cycles that did not prefetch because of resources or a missing source.");
    }

    private static int OpenBreakers(PrefetchSourceResolver resolver)
    {
        int open = 0;
        foreach (PrefetchSource source in resolver.Sources)
        {
            if (source.BreakerState != Polly.CircuitBreaker.CircuitState.Closed)
            {
                open++;
            }
        }

        return open;
    }

    private static long Misses(AccessTracker tracker)
    {
        (long reads, long hits) = tracker.CountReads();
        return reads - hits;
    }

    private static IEnumerable<Measurement<double>> Known(double value) =>
        double.IsNaN(value) ? [] : [new Measurement<double>(value)];

    private static IEnumerable<Measurement<long>> SkippedMeasurements(PrefetchStatistics statistics)
    {
        foreach ((string reason, long count) in statistics.SkippedByReason())
        {
            yield return new Measurement<long>(count, new KeyValuePair<string, object?>("reason", reason));
        }
    }
}
