using PredictiveCaching.Features;
using PredictiveCaching.Prediction;
using PredictiveCaching.Priorities;
using PredictiveCaching.Resources;
using PredictiveCaching.Strategies;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Loop;

/// <summary>
/// <see cref="IPredictionInputs"/> over the loop's own parts, so that a training package reads them without seeing the
/// tracker, the strategy selector or the priority rules themselves.
/// </summary>
internal sealed class PredictionInputs(AccessTracker tracker, StrategySelector strategies, KeyPriorities priorities, ResourceMonitor resources) : IPredictionInputs
{
    public TimeSpan LookaheadWindow => strategies.Current.LookaheadWindow;

    public double ProbabilityThreshold => strategies.Current.ProbabilityThreshold;

    public int TrackedKeyCount => tracker.Count;

    public IEnumerable<string> EnumerateTrackedKeys()
    {
        foreach (KeyAccessStatistics entry in tracker.EnumerateEntries())
        {
            yield return entry.Key;
        }
    }

    public bool TryGetStatistics(string key, out KeyAccessSnapshot statistics)
    {
        KeyAccessSnapshot? snapshot = tracker.SnapshotOf(key);
        statistics = snapshot.GetValueOrDefault();
        return snapshot.HasValue;
    }

    public PredictionContext CreateContext(string key, long nowTicks)
    {
        return new PredictionContext(key, tracker.SnapshotOf(key), nowTicks, strategies.Current.LookaheadWindow, resources.Current, priorities.WeightOf(key), isSequential: false);
    }
}
