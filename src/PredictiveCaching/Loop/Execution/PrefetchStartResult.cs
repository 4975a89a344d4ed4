namespace PredictiveCaching.Loop.Execution;

/// <summary>Whether a prefetch could start, and if not, why.</summary>
internal enum PrefetchStartResult
{
    Started,
    AlreadyInFlight,
    Saturated,
    BreakerOpen,
    SourceBusy,
    ShuttingDown,
}
