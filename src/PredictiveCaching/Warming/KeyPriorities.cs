using Microsoft.Extensions.Options;

namespace PredictiveCaching.Warming;

/// <summary>Resolves the priority weight of a key from the registered rules (default: normal).</summary>
internal sealed class KeyPriorities
{
    private readonly KeyPriorityRule[] _rules;
    private readonly WarmingOptions _options;

    public KeyPriorities(IEnumerable<KeyPriorityRule> rules, IOptions<PredictiveLoadingOptions> options)
    {
        _rules = [.. rules];
        _options = options.Value.Warming;
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

    public double WeightOf(string key) => _options.WeightOf(LevelOf(key));

    public double WeightOf(PriorityLevel level) => _options.WeightOf(level);
}
