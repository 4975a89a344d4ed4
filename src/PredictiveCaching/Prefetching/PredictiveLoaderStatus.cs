using System.Text.Json.Serialization;
using PredictiveCaching.Resources;

namespace PredictiveCaching.Prefetching;

/// <summary>A snapshot of what the predictive loader is doing and how well it does it.</summary>
// Precision and recall are NaN before any outcome: written to JSON as "NaN" rather than failing the serializer.
[JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)]
public sealed record PredictiveLoaderStatus
{
    /// <summary>Gets the strategy in force.</summary>
    public required string Strategy { get; init; }

    /// <summary>Gets a value indicating whether the strategy adapts to resources and precision.</summary>
    public bool IsAdaptive { get; init; }

    /// <summary>Gets how many times the strategy changed since start.</summary>
    public long StrategyChanges { get; init; }

    /// <summary>Gets the kind of predictor in use (<c>heuristic</c>, or a trained model).</summary>
    public required string PredictorKind { get; init; }

    /// <summary>Gets used / (used + wasted) over the accuracy window; NaN before any outcome.</summary>
    public double Precision { get; init; }

    /// <summary>Gets the recent precision the confidence formula uses (the latest outcomes, 0.8 before any).</summary>
    public double RecentPrecision { get; init; }

    /// <summary>Gets the share of non-compulsory reads served by a prefetched copy; NaN before any.</summary>
    public double Recall { get; init; }

    /// <summary>Gets how many prefetched copies were read.</summary>
    public long PrefetchesUsed { get; init; }

    /// <summary>Gets how many prefetched copies were never read before they expired or their window ended.</summary>
    public long PrefetchesWasted { get; init; }

    /// <summary>Gets how many prefetches started.</summary>
    public long PrefetchesStarted { get; init; }

    /// <summary>Gets how many prefetches wrote a value.</summary>
    public long PrefetchesCompleted { get; init; }

    /// <summary>Gets how many prefetches failed (source or cache error).</summary>
    public long PrefetchesFailed { get; init; }

    /// <summary>Gets how many prefetches timed out.</summary>
    public long PrefetchesTimedOut { get; init; }

    /// <summary>Gets how many prefetches were dropped because the application wrote the key meanwhile.</summary>
    public long PrefetchesSuperseded { get; init; }

    /// <summary>
    /// Gets how many raw-bytes values were loaded for keys the application reads through HybridCache, which ignores L2
    /// entries it did not write: not written, counted as wasted (register a typed source, <c>AddHybridSource</c>).
    /// </summary>
    public long PrefetchesUnusableByHybridCache { get; init; }

    /// <summary>
    /// Gets how many prefetches were skipped because the <see cref="IPrefetchCoordinator"/> did not grant the key (another
    /// instance was loading it, or coordination was unavailable).
    /// </summary>
    public long PrefetchesNotGranted { get; init; }

    /// <summary>Gets the bytes written by prefetches since start.</summary>
    public long BytesPrefetched { get; init; }

    /// <summary>Gets the bytes left in the current lookahead window's budget.</summary>
    public long BudgetRemainingBytes { get; init; }

    /// <summary>Gets how many prefetches are running.</summary>
    public int InFlight { get; init; }

    /// <summary>Gets how many keys are tracked.</summary>
    public int TrackedKeys { get; init; }

    /// <summary>Gets the estimated bytes the tracked keys take, key strings included (see <see cref="Tracking.AccessTracker.TrackedBytes"/>).</summary>
    public long TrackedBytes { get; init; }

    /// <summary>Gets how many prefetch cycles ran.</summary>
    public long Cycles { get; init; }

    /// <summary>Gets why prefetching is paused, or <see langword="null"/> when it is not.</summary>
    public string? PausedReason { get; init; }

    /// <summary>Gets the latest resource snapshot.</summary>
    public required ResourceSnapshot Resources { get; init; }

    /// <summary>
    /// Gets the state of learned prediction (samples, schedule, last training and the model in use), or
    /// <see langword="null"/> when the <c>PredictiveCaching.ML</c> package is not added.
    /// </summary>
    public LearnedModelStatus? Model { get; init; }
}
