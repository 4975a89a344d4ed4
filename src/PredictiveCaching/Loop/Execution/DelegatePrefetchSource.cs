using PredictiveCaching.Prefetching;

namespace PredictiveCaching.Loop.Execution;

/// <summary>A source made of a key filter (prefix or predicate) and a load delegate, as registered by <c>AddSource</c>.</summary>
internal sealed class DelegatePrefetchSource(Func<string, bool> canLoad, Func<string, CancellationToken, ValueTask<PrefetchedValue?>> load, string? description = null) : IPrefetchSource
{
    /// <summary>Gets what logs call the source (its prefix), or <see langword="null"/> for a predicate.</summary>
    public string? Description => description;

    public static DelegatePrefetchSource ForPrefix(string prefix, Func<string, CancellationToken, ValueTask<PrefetchedValue?>> load) =>
        new(key => key.StartsWith(prefix, StringComparison.Ordinal), load, "prefix '" + prefix + "'");

    public bool CanLoad(string key) => canLoad(key);

    public ValueTask<PrefetchedValue?> LoadAsync(string key, CancellationToken cancellationToken = default) => load(key, cancellationToken);
}
