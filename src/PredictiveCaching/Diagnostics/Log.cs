using Microsoft.Extensions.Logging;

namespace PredictiveCaching.Diagnostics;

/// <summary>
/// The core package's log messages, source-generated. Event ids 1–49 live here; 50–99 belong to prefetching
/// (<c>Log.Prefetching.cs</c>), which extends this same partial class.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(
        EventId = 1,
        EventName = "ResourceProbeFailed",
        Level = LogLevel.Warning,
        Message = "Resource probe {ProbeName} failed; its resource is reported as unknown until the probe succeeds again.")]
    public static partial void ResourceProbeFailed(ILogger logger, string probeName, Exception exception);

    [LoggerMessage(
        EventId = 2,
        EventName = "ResourceProbeRecovered",
        Level = LogLevel.Information,
        Message = "Resource probe {ProbeName} succeeded again.")]
    public static partial void ResourceProbeRecovered(ILogger logger, string probeName);

    [LoggerMessage(
        EventId = 3,
        EventName = "ResourceSamplingFailed",
        Level = LogLevel.Error,
        Message = "Resource sampling failed; the previous snapshot stays in force and sampling goes on.")]
    public static partial void ResourceSamplingFailed(ILogger logger, Exception exception);

    [LoggerMessage(
        EventId = 4,
        EventName = "ResourceMonitorStarted",
        Level = LogLevel.Debug,
        Message = "Resource monitor started with {ProbeCount} probes, sampling every {Interval}.")]
    public static partial void ResourceMonitorStarted(ILogger logger, int probeCount, TimeSpan interval);

    [LoggerMessage(
        EventId = 5,
        EventName = "UnknownSetting",
        Level = LogLevel.Warning,
        Message = "{Path} is not a known setting; did you mean {Suggestion}?")]
    public static partial void UnknownSettingWithSuggestion(ILogger logger, string path, string suggestion);

    [LoggerMessage(
        EventId = 86,
        EventName = "DeprecatedSetting",
        Level = LogLevel.Warning,
        Message = "{Path} is deprecated and still read; rename it {Replacement}")]
    public static partial void DeprecatedSetting(ILogger logger, string path, string replacement);

    [LoggerMessage(
        EventId = 6,
        EventName = "UnknownSettingNoSuggestion",
        Level = LogLevel.Warning,
        Message = "{Path} is not a known setting; it is ignored.")]
    public static partial void UnknownSetting(ILogger logger, string path);
}
