namespace PredictiveCaching.Prefetching;

/// <summary>The default <see cref="IExpiryLookup"/>: the decorator sees every write, so there is nothing to look up.</summary>
internal sealed class NoExpiryLookup : IExpiryLookup
{
    public bool IsEnabled => false;

    public ValueTask LookupAsync(IReadOnlyList<string> keys, Memory<TimeSpan?> remaining, CancellationToken cancellationToken = default)
    {
        remaining.Span.Clear();
        return ValueTask.CompletedTask;
    }
}
