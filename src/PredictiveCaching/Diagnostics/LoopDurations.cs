using System.Diagnostics.Metrics;

namespace PredictiveCaching.Diagnostics;

/// <summary>
/// The histograms the background loops record, on the meter named <see cref="PredictiveCachingDiagnostics.MeterName"/>
/// (the factory hands every part the same meter). Kept apart from the observable counts, which read the loop's state,
/// so that the loop can record without depending on what observes it.
/// </summary>
internal sealed class LoopDurations
{
    private readonly Histogram<double> _cycleDuration;
    private readonly Histogram<double> _prefetchDuration;

    public LoopDurations(IMeterFactory meterFactory)
    {
        Meter meter = meterFactory.Create(PredictiveCachingDiagnostics.MeterName);
        _cycleDuration = meter.CreateHistogram<double>("predictive_caching.cycle.duration", "s", "Time to propose, score and dispatch one prefetch cycle.");
        _prefetchDuration = meter.CreateHistogram<double>("predictive_caching.prefetch.duration", "s", "Time from the start of a prefetch to its value being written.");
    }

    public void RecordCycle(TimeSpan elapsed) => _cycleDuration.Record(elapsed.TotalSeconds);

    public void RecordPrefetch(TimeSpan elapsed) => _prefetchDuration.Record(elapsed.TotalSeconds);
}
