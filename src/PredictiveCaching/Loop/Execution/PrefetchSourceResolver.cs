using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PredictiveCaching.Loop.Outcomes;
using PredictiveCaching.Prefetching;

namespace PredictiveCaching.Loop.Execution;

/// <summary>
/// Finds the source for a key: the first registered source that can load it, in registration order. Each source is
/// wrapped once, with its own concurrency limit and resilience pipeline (<see cref="PrefetchSource"/>).
/// </summary>
internal sealed class PrefetchSourceResolver
{
    private readonly PrefetchSource[] _sources;

    public PrefetchSourceResolver(
        IEnumerable<IPrefetchSource> sources,
        IOptions<PredictiveLoadingOptions> options,
        TimeProvider time,
        PrefetchStatistics statistics,
        ILogger<PrefetchSourceResolver> logger)
    {
        IPrefetchSource[] registered = [.. sources];
        PrefetchOptions prefetch = options.Value.Prefetch;

        // A lone source has nobody to be protected from, so it keeps every slot.
        int perSource = prefetch.MaxConcurrencyPerSource
            ?? (registered.Length <= 1 ? prefetch.MaxConcurrency : Math.Max(1, (prefetch.MaxConcurrency + 1) / 2));
        _sources = new PrefetchSource[registered.Length];
        for (int i = 0; i < registered.Length; i++)
        {
            string name = registered[i] is DelegatePrefetchSource { Description: { } description }
                ? $"#{i + 1} {description}"
                : $"#{i + 1} {registered[i].GetType().Name}";
            _sources[i] = new PrefetchSource(registered[i], name, prefetch, perSource, time, statistics, logger);
        }
    }

    public bool HasSources => _sources.Length > 0;

    public IReadOnlyList<PrefetchSource> Sources => _sources;

    public PrefetchSource? Find(string key)
    {
        foreach (PrefetchSource source in _sources)
        {
            if (source.CanLoad(key))
            {
                return source;
            }
        }

        return null;
    }
}
