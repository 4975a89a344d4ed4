namespace PredictiveCaching.Prefetching;

/// <summary>The default <see cref="IPrefetchCoordinator"/>: one instance, so every prefetch is granted, without I/O.</summary>
internal sealed class NoPrefetchCoordination : IPrefetchCoordinator
{
    private static readonly ValueTask<PrefetchLease?> Granted = new(new GrantedLease());

    public string? UnavailableReason => null;

    public ValueTask<PrefetchLease?> TryAcquireAsync(string key, TimeSpan leaseTime, CancellationToken cancellationToken = default) => Granted;

    // Not the coordinator itself: a container disposed synchronously refuses singletons that are only IAsyncDisposable.
    private sealed class GrantedLease : PrefetchLease
    {
        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
