using Microsoft.Extensions.Options;
using PredictiveCaching.Warming;

namespace PredictiveCaching.Priorities;

/// <summary>Resolves the priority weight of a key from the registered rules (default: normal).</summary>
internal sealed class KeyPriorities
{
    private readonly KeyPriorityRule[] _rules;
    private readonly PriorityWeights _weights;

    public KeyPriorities(IEnumerable<KeyPriorityRule> rules, PriorityWeights weights)
    {
        _rules = [.. rules];
        _weights = weights;
    }

    public PriorityLevel LevelOf(string key)
    {
        foreach (KeyPriorityRule rule in _rules)
        {
            if (rule.Matches(key))
            {
                return rule.Level;
            }
        }

        return PriorityLevel.Normal;
    }

    public double WeightOf(string key) => _weights.WeightOf(LevelOf(key));

    public double WeightOf(PriorityLevel level) => _weights.WeightOf(level);
}
