using Microsoft.Extensions.Logging;

namespace PredictiveCaching.Diagnostics;

/// <summary>Log messages of the prediction loop (event ids 50–99).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 50, EventName = "StrategyChanged", Level = LogLevel.Information,
        Message = "Prefetch strategy changed from {Previous} to {Current}: {Reason}")]
    public static partial void StrategyChanged(ILogger logger, string previous, string current, string reason);

    [LoggerMessage(EventId = 51, EventName = "PrefetchCycleFailed", Level = LogLevel.Error,
        Message = "A prefetch cycle failed; the next one runs as scheduled")]
    public static partial void PrefetchCycleFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 52, EventName = "PrefetchSourceFailed", Level = LogLevel.Debug,
        Message = "Prefetch source {Source} failed for key {Key}")]
    public static partial void PrefetchSourceFailed(ILogger logger, string source, string key, Exception exception);

    [LoggerMessage(EventId = 53, EventName = "PrefetchTimedOut", Level = LogLevel.Debug,
        Message = "Prefetch of key {Key} from source {Source} timed out")]
    public static partial void PrefetchTimedOut(ILogger logger, string source, string key);

    [LoggerMessage(EventId = 54, EventName = "PrefetchWriteFailed", Level = LogLevel.Warning,
        Message = "Writing the prefetched value of key {Key} to the cache failed")]
    public static partial void PrefetchWriteFailed(ILogger logger, string key, Exception exception);

    [LoggerMessage(EventId = 55, EventName = "PrefetchingPaused", Level = LogLevel.Information,
        Message = "Prefetching paused: {Reason}")]
    public static partial void PrefetchingPaused(ILogger logger, string reason);

    [LoggerMessage(EventId = 56, EventName = "PrefetchingResumed", Level = LogLevel.Information,
        Message = "Prefetching resumed")]
    public static partial void PrefetchingResumed(ILogger logger);

    [LoggerMessage(EventId = 57, EventName = "WarmingRound", Level = LogLevel.Debug,
        Message = "Warming round: {Candidates} candidates, {Started} prefetches started")]
    public static partial void WarmingRound(ILogger logger, int candidates, int started);

    [LoggerMessage(EventId = 58, EventName = "WarmingFailed", Level = LogLevel.Error,
        Message = "A warming round failed; the next one runs as scheduled")]
    public static partial void WarmingFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 59, EventName = "StrategyUpdateFailed", Level = LogLevel.Error,
        Message = "The strategy update failed; the next one runs as scheduled")]
    public static partial void StrategyUpdateFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 60, EventName = "NoPrefetchSource", Level = LogLevel.Information,
        Message = "No prefetch source is registered: keys are predicted but nothing is prefetched. Register one with AddSource(...)")]
    public static partial void NoPrefetchSource(ILogger logger);

    [LoggerMessage(EventId = 61, EventName = "PrefetchOversize", Level = LogLevel.Debug,
        Message = "Prefetch of key {Key} loaded {Bytes} bytes, over the per-value cap of {CapBytes} bytes or the budget left; not written")]
    public static partial void PrefetchOversize(ILogger logger, string key, long bytes, long capBytes);

    [LoggerMessage(EventId = 62, EventName = "PrefetchSourceBreakerOpened", Level = LogLevel.Warning,
        Message = "Prefetch source {Source} keeps failing or timing out: its circuit breaker opened for {BreakSeconds} s, and its keys are not prefetched meanwhile")]
    public static partial void PrefetchSourceBreakerOpened(ILogger logger, string source, double breakSeconds, Exception? exception);

    [LoggerMessage(EventId = 63, EventName = "PrefetchSourceBreakerClosed", Level = LogLevel.Information,
        Message = "Prefetch source {Source} recovered: its circuit breaker closed")]
    public static partial void PrefetchSourceBreakerClosed(ILogger logger, string source);

    [LoggerMessage(EventId = 64, EventName = "PrefetchSourceCanLoadFailed", Level = LogLevel.Warning,
        Message = "CanLoad of prefetch source {Source} threw for key {Key}; such keys are treated as not its own (logged once per source, counted every time)")]
    public static partial void PrefetchSourceCanLoadFailed(ILogger logger, string source, string key, Exception exception);

    [LoggerMessage(EventId = 65, EventName = "PrefetchSourceOversize", Level = LogLevel.Information,
        Message = "Prefetch source {Source} returned {Bytes} bytes for key {Key}, over the per-value cap of {CapBytes} bytes or the budget left; such values are not written (logged once per source, counted every time)")]
    public static partial void PrefetchSourceOversize(ILogger logger, string source, string key, long bytes, long capBytes);

    [LoggerMessage(EventId = 66, EventName = "PrefetchSourceBytesForHybridCache", Level = LogLevel.Warning,
        Message = "Prefetch source {Source} returned raw bytes for key {Key}, which the application reads through HybridCache: " +
                  "HybridCache ignores L2 entries it did not write, so such values are not written and count as wasted. " +
                  "Register a typed source for these keys instead: AddHybridSource<T>(prefix, (key, ct) => ...), which writes " +
                  "the object through HybridCache.SetAsync. Logged once for the source.")]
    public static partial void PrefetchSourceBytesForHybridCache(ILogger logger, string source, string key);

    [LoggerMessage(EventId = 67, EventName = "PrefetchSourceNoHybridCache", Level = LogLevel.Warning,
        Message = "Prefetch source {Source} returned a typed value for key {Key}, but no HybridCache is registered to write it " +
                  "through; nothing is written. Register it with services.AddHybridCache(...) before AddPredictiveLoading(). " +
                  "Logged once for the source.")]
    public static partial void PrefetchSourceNoHybridCache(ILogger logger, string source, string key);
}
