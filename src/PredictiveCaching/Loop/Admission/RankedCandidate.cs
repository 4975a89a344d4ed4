using PredictiveCaching.Loop.Scoring;

namespace PredictiveCaching.Loop.Admission;

/// <summary>A scored candidate above the strategy's threshold, with the rank it starts in (highest first).</summary>
internal readonly record struct RankedCandidate(ScoredCandidate Scored, double Rank);
