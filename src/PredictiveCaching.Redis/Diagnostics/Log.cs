using Microsoft.Extensions.Logging;

namespace PredictiveCaching.Redis.Diagnostics;

/// <summary>The Redis package's log messages, source-generated (event ids 200–299).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 200, EventName = "CoordinationUnavailable", Level = LogLevel.Warning,
        Message = "Redis coordination is unavailable ({Reason}); prefetching is paused until Redis is reachable again. The application's own reads and writes are not affected by this")]
    public static partial void CoordinationUnavailable(ILogger logger, string reason, Exception? exception);

    [LoggerMessage(EventId = 201, EventName = "CoordinationRestored", Level = LogLevel.Information,
        Message = "Redis coordination is available again after {OutageSeconds} s; prefetching resumes")]
    public static partial void CoordinationRestored(ILogger logger, double outageSeconds);

    [LoggerMessage(EventId = 202, EventName = "ConnectionChosen", Level = LogLevel.Debug,
        Message = "Redis coordination uses {Source}")]
    public static partial void ConnectionChosen(ILogger logger, string source);

    [LoggerMessage(EventId = 203, EventName = "ConnectFailed", Level = LogLevel.Warning,
        Message = "Redis coordination could not create its connection; it retries in {RetrySeconds} s")]
    public static partial void ConnectFailed(ILogger logger, double retrySeconds, Exception exception);
}
