using PredictiveCaching.Prefetching;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Loop.Candidates;

/// <summary>A key proposed for prefetching, with the evidence of why.</summary>
internal readonly record struct Candidate(string Key, KeyAccessStatistics? Entry, CandidateReason Reason, double Prior, bool IsSequential, long SizeHint);
