using Microsoft.Extensions.Hosting;

namespace PredictiveCaching.Prediction;

/// <summary>
/// Adopts the newest shared model while the host is starting, before any hosted service starts: warming and the first
/// prefetch cycle already predict with it, so a new instance starts warm.
/// </summary>
internal sealed class SharedModelStartup(SharedModelSync sync) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken) =>
        await sync.RefreshAsync(cancellationToken).ConfigureAwait(false);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
