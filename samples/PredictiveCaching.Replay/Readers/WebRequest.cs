namespace PredictiveCaching.Replay.Readers;

/// <summary>What the web log readers share: the key a cache would use for a request target, and the request itself.</summary>
internal static class WebRequest
{
    /// <summary>
    /// The key is the request target as logged, path and query string: a web cache keys on both, since
    /// <c>/cgi-bin/imagemap/countdown?107,144</c> and <c>?88,172</c> are different responses. Dropping the query would
    /// turn distinct responses into hits that no real cache could serve. Only a fragment (<c>#…</c>, never sent by
    /// browsers, but hand-written logs have them) is cut.
    /// </summary>
    public static string Key(ReadOnlySpan<char> target)
    {
        int fragment = target.IndexOf('#');
        return (fragment >= 0 ? target[..fragment] : target).ToString();
    }

    /// <summary>A read of <paramref name="key"/>; <paramref name="bytes"/> 0 (a 304, or <c>-</c>) means the size is unknown.</summary>
    public static TraceRequest Read(double unixSeconds, string key, long bytes) =>
        new(unixSeconds, key, Math.Max(0, bytes), 0, TraceOperation.Read);
}
