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

    /// <summary>
    /// Tells the loader which keys the application expects to read soon (a page that knows its assets, the next step of
    /// a workflow). The next cycle proposes them with <paramref name="probability"/> as their prediction: they still
    /// pass the strategy's threshold, byte budget and resource limit, need a registered source, and are skipped when a
    /// copy will be there anyway. Hints wait in a bounded queue (4,096); when it is full the rest are refused.
    /// </summary>
    /// <param name="keys">The keys, each non-empty; a null or empty key throws, and the keys before it stay queued.</param>
    /// <param name="probability">How likely each key is read within the strategy's lookahead window, in (0, 1].</param>
    /// <returns>How many of the keys were queued.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="keys"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="probability"/> is not in (0, 1].</exception>
    /// <exception cref="ArgumentException">A key is null or empty.</exception>
    int ExpectReads(IEnumerable<string> keys, double probability = 1d);

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
