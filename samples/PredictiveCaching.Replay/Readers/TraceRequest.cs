namespace PredictiveCaching.Replay.Readers;

/// <summary>One request of a trace, in the form every reader produces.</summary>
/// <param name="TimeSeconds">Seconds on the trace's own clock (any origin; never decreasing).</param>
/// <param name="Key">The cache key.</param>
/// <param name="Size">The value size in bytes (0 when the trace does not know it).</param>
/// <param name="TtlSeconds">The time to live the trace gives the value, or 0 when it gives none.</param>
/// <param name="Operation">Read, write or delete.</param>
public readonly record struct TraceRequest(double TimeSeconds, string Key, long Size, double TtlSeconds, TraceOperation Operation);
