using System.Collections.Concurrent;
using System.Text;

namespace PredictiveCaching.Redis.Tests.Infrastructure;

/// <summary>The origin behind every instance: counts the application's loads and the prefetches' loads per key.</summary>
internal sealed class SharedOrigin
{
    private readonly ConcurrentDictionary<string, int> _appLoads = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _prefetchLoads = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource? _gate;

    public static byte[] ValueOf(string key) => Encoding.UTF8.GetBytes("origin:" + key);

    /// <summary>Completes when a prefetch load has begun (and, with <see cref="HoldPrefetches"/>, is waiting).</summary>
    public Task PrefetchEntered => _entered.Task;

    public int AppLoadsOf(string key) => _appLoads.GetValueOrDefault(key);

    public int PrefetchLoadsOf(string key) => _prefetchLoads.GetValueOrDefault(key);

    public int PrefetchLoads => _prefetchLoads.Values.Sum();

    /// <summary>Makes prefetch loads wait until <see cref="ReleasePrefetches"/>.</summary>
    public void HoldPrefetches() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void ReleasePrefetches() => _gate?.TrySetResult();

    public byte[] AppLoad(string key)
    {
        _appLoads.AddOrUpdate(key, 1, static (_, n) => n + 1);
        return ValueOf(key);
    }

    public async Task<byte[]?> PrefetchLoadAsync(string key, CancellationToken cancellationToken)
    {
        _prefetchLoads.AddOrUpdate(key, 1, static (_, n) => n + 1);
        _entered.TrySetResult();
        if (_gate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        return ValueOf(key);
    }
}
