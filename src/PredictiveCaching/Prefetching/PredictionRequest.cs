using PredictiveCaching.Priorities;
using PredictiveCaching.Warming;

namespace PredictiveCaching.Prefetching;

/// <summary>A key to predict, with optional context that overrides what the loader would assume.</summary>
/// <param name="Key">The cache key.</param>
public readonly record struct PredictionRequest(string Key)
{
    /// <summary>Gets the key's priority; <see langword="null"/> uses the registered priority rules.</summary>
    public PriorityLevel? Priority { get; init; }

    /// <summary>Gets the expected value size in bytes; <see langword="null"/> uses what the tracker knows.</summary>
    public long? SizeBytes { get; init; }

    /// <summary>Gets a value indicating whether the access is sequential.</summary>
    public bool IsSequential { get; init; }
}
