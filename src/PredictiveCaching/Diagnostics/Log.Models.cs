using Microsoft.Extensions.Logging;

namespace PredictiveCaching.Diagnostics;

/// <summary>Log messages of shared models (event ids 80–89).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 80, EventName = "SharedModelAdopted", Level = LogLevel.Information,
        Message = "Shared model v{Version} replaces {Previous} (trained on {SampleCount} samples, held-out log-loss {LogLoss:0.0000})")]
    public static partial void SharedModelAdopted(ILogger logger, int version, string previous, int sampleCount, double logLoss);

    [LoggerMessage(EventId = 81, EventName = "SharedModelRefused", Level = LogLevel.Warning,
        Message = "Shared model v{Version} is refused and {Current} stays in use: {Reason}")]
    public static partial void SharedModelRefused(ILogger logger, long version, string current, string reason);

    [LoggerMessage(EventId = 82, EventName = "SharedModelPublished", Level = LogLevel.Information,
        Message = "Model v{Version} ({Bytes} bytes) is now the shared model")]
    public static partial void SharedModelPublished(ILogger logger, long version, int bytes);

    [LoggerMessage(EventId = 83, EventName = "SharedModelSuperseded", Level = LogLevel.Information,
        Message = "Model v{Version} is not shared: the store already holds a model of the same or a higher version")]
    public static partial void SharedModelSuperseded(ILogger logger, long version);

    [LoggerMessage(EventId = 84, EventName = "SharedModelCheckFailed", Level = LogLevel.Warning,
        Message = "Looking for a newer shared model failed; the current predictor stays in use")]
    public static partial void SharedModelCheckFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 85, EventName = "SharedModelPublishFailed", Level = LogLevel.Warning,
        Message = "Publishing model v{Version} failed; it stays in use on this instance")]
    public static partial void SharedModelPublishFailed(ILogger logger, int version, Exception exception);
}
