using PredictiveCaching.Features;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Prediction;

/// <summary>
/// A read-only view of what the prediction loop predicts from — the tracked keys and their statistics, and the
/// strategy in use — for a package that learns from it: the ML package's sampler labels its samples and builds training
/// contexts through it, and a third-party training package can do the same.
/// </summary>
/// <remarks>
/// Every answer is a copy taken when asked; nothing here changes what the loop does. Statistics exist only for keys the
/// tracker holds: a key evicted from tracking answers <see langword="false"/>, and if it is read again it starts a new
/// history (a later <see cref="KeyAccessSnapshot.FirstReadTicks"/>, counts from zero).
/// </remarks>
public interface IPredictionInputs
{
    /// <summary>Gets the lookahead window of the strategy in use: how far ahead a read is predicted.</summary>
    TimeSpan LookaheadWindow { get; }

    /// <summary>Gets the probability threshold of the strategy in use: the loop prefetches a key predicted at or above it.</summary>
    double ProbabilityThreshold { get; }

    /// <summary>Gets how many keys the tracker holds.</summary>
    int TrackedKeyCount { get; }

    /// <summary>Enumerates the keys the tracker holds, in no particular order; keys admitted or evicted meanwhile may or may not appear.</summary>
    /// <returns>The keys.</returns>
    IEnumerable<string> EnumerateTrackedKeys();

    /// <summary>Gets what the tracker knows of <paramref name="key"/> now.</summary>
    /// <param name="key">The cache key.</param>
    /// <param name="statistics">A consistent copy of the key's statistics, when it is tracked.</param>
    /// <returns><see langword="true"/> when the key is tracked.</returns>
    bool TryGetStatistics(string key, out KeyAccessSnapshot statistics);

    /// <summary>
    /// Creates the context the loop would score <paramref name="key"/> with at <paramref name="nowTicks"/>, proposed for
    /// its own rhythm: its statistics (or none when untracked), the strategy's lookahead, the latest resource snapshot
    /// and the key's priority.
    /// </summary>
    /// <param name="key">The cache key.</param>
    /// <param name="nowTicks">The time of the prediction, in UTC ticks.</param>
    /// <returns>The context, ready for <see cref="FeatureVectorBuilder.Fill"/> or <see cref="IAccessPredictor.Predict"/>.</returns>
    PredictionContext CreateContext(string key, long nowTicks);
}
