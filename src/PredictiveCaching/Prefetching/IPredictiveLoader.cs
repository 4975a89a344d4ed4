namespace PredictiveCaching.Prefetching;

/// <summary>
/// The predictive loader: predicts reads of keys, runs prefetch cycles and reports its status. A background service
/// runs cycles every <see cref="PrefetchOptions.CycleInterval"/>; applications rarely call it directly.
/// </summary>
public interface IPredictiveLoader
{
    /// <summary>Predicts whether a key is read within the current strategy's lookahead window.</summary>
    /// <param name="request">The key and optional context.</param>
    /// <returns>The probability, predicted size, confidence and whether it meets the strategy's threshold.</returns>
    KeyPrediction Predict(PredictionRequest request);

    /// <summary>Runs one prefetch cycle now: proposes candidates, scores them and starts the prefetches that qualify.</summary>
    /// <param name="cancellationToken">Cancels the cycle (not the prefetches it started).</param>
    /// <returns>What the cycle did.</returns>
    Task<PrefetchCycleResult> RunCycleAsync(CancellationToken cancellationToken = default);

    /// <summary>Waits until no prefetch is running (the ones started by earlier cycles have written or given up).</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when no prefetch is in flight.</returns>
    Task WaitForPrefetchesAsync(CancellationToken cancellationToken = default);

    /// <summary>Returns what the loader is doing and how well it does it.</summary>
    /// <returns>The status.</returns>
    PredictiveLoaderStatus GetStatus();
}
