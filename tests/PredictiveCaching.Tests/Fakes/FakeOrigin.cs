using System.Collections.Concurrent;
using System.Text;

namespace PredictiveCaching.Tests.Fakes;

/// <summary>The data behind the cache: returns "origin:{key}" and counts every load, by the application or by a prefetch.</summary>
internal sealed class FakeOrigin
{
    private readonly ConcurrentDictionary<string, int> _loads = new(StringComparer.Ordinal);

    public int Size { get; set; } = 32;

    public int TotalLoads => _loads.Values.Sum();

    public int LoadsOf(string key) => _loads.TryGetValue(key, out int n) ? n : 0;

    public byte[] Load(string key)
    {
        _loads.AddOrUpdate(key, 1, static (_, n) => n + 1);
        byte[] value = new byte[Size];
        Encoding.ASCII.GetBytes("origin:" + key).AsSpan(0, Math.Min(Size, 7 + key.Length)).CopyTo(value);
        return value;
    }
}
