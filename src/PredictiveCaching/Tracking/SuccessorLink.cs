namespace PredictiveCaching.Tracking;

/// <summary>A key observed to be read shortly after another one, with how often it was.</summary>
/// <param name="Successor">The statistics of the key that followed.</param>
/// <param name="Count">How often it followed (an under-estimate, kept with a Misra-Gries summary).</param>
internal readonly record struct SuccessorLink(KeyAccessStatistics Successor, int Count);
