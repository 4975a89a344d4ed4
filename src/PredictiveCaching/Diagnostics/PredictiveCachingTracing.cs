using System.Diagnostics;

namespace PredictiveCaching.Diagnostics;

/// <summary>
/// The <see cref="ActivitySource"/> for background work: prefetch cycles, warming rounds and source loads — never a
/// single cache read. Tags are set only when a listener asked for the activity.
/// </summary>
internal sealed class PredictiveCachingTracing : IDisposable
{
    public ActivitySource Source { get; } = new(PredictiveCachingDiagnostics.ActivitySourceName);

    public void Dispose() => Source.Dispose();
}
