namespace PredictiveCaching.Prefetching;

/// <summary>The default <see cref="IPrefetchCoordinator"/>: one instance, so every prefetch is granted, without I/O.</summary>
internal sealed class NoPrefetchCoordination : IPrefetchCoordinator, IAsyncDisposable
{
    private static readonly ValueTask<IAsyncDisposable?> Granted = new(new NoPrefetchCoordination());

    public ValueTask<IAsyncDisposable?> TryAcquireAsync(string key, TimeSpan leaseTime, CancellationToken cancellationToken = default) => Granted;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
