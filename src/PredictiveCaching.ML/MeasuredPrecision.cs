namespace PredictiveCaching.MachineLearning;

/// <summary>
/// The loop's measured prefetch precision and how many outcomes (used or wasted prefetches) it is over, read from
/// <see cref="Prefetching.PredictiveLoaderStatus"/>: the trainer retrains early when it falls.
/// </summary>
internal readonly record struct MeasuredPrecision(double Precision, int Outcomes);
