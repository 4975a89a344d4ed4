namespace PredictiveCaching.Priorities;

/// <summary>Assigns a priority level to the keys a prefix or predicate selects; the first matching rule wins.</summary>
internal sealed class KeyPriorityRule(Func<string, bool> matches, PriorityLevel level)
{
    public PriorityLevel Level { get; } = level;

    public bool Matches(string key) => matches(key);
}
