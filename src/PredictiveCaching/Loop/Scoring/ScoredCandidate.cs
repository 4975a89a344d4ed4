using PredictiveCaching.Loop.Candidates;
using PredictiveCaching.Prediction;

namespace PredictiveCaching.Loop.Scoring;

/// <summary>A candidate with what the scoring stage expects of it and the weight of its priority.</summary>
internal readonly record struct ScoredCandidate(Candidate Candidate, AccessPrediction Prediction, double Priority);
