using System.Diagnostics;

namespace PredictiveCaching.Diagnostics;

/// <summary>
/// The <see cref="ActivitySource"/> for background work: prefetch cycles, warming rounds and source loads — never a
/// single cache read. Tags are set only when a listener asked for the activity.
/// </summary>
internal sealed class PredictiveCachingTracing : IDisposable
{
    public ActivitySource Source { get; } = new(PredictiveCachingDiagnostics.ActivitySourceName);

    public static void Complete(Activity? activity, Prefetching.PrefetchCycleResult result)
    {
        if (activity is null || !activity.IsAllDataRequested)
        {
            return;
        }

        activity.SetTag("predictive_caching.strategy", result.Strategy);
        activity.SetTag("predictive_caching.candidates", result.Candidates);
        activity.SetTag("predictive_caching.scored", result.Scored);
        activity.SetTag("predictive_caching.started", result.Started);
        if (result.PausedReason is { } paused)
        {
            activity.SetTag("predictive_caching.paused_reason", paused);
        }
    }

    public void Dispose() => Source.Dispose();
}
