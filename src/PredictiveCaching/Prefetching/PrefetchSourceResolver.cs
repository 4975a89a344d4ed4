namespace PredictiveCaching.Prefetching;

/// <summary>Finds the source for a key: the first registered source that can load it, in registration order.</summary>
internal sealed class PrefetchSourceResolver(IEnumerable<IPrefetchSource> sources)
{
    private readonly IPrefetchSource[] _sources = [.. sources];

    public bool HasSources => _sources.Length > 0;

    public IPrefetchSource? Find(string key)
    {
        foreach (IPrefetchSource source in _sources)
        {
            if (source.CanLoad(key))
            {
                return source;
            }
        }

        return null;
    }
}
