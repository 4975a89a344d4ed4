using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PredictiveCaching.Diagnostics;
using PredictiveCaching.Loop.Execution;
using PredictiveCaching.Prefetching;

namespace PredictiveCaching.Loop;

/// <summary>Runs a prefetch cycle every <see cref="PrefetchOptions.CycleInterval"/>; cancels prefetches in flight on shutdown.</summary>
internal sealed class PrefetchLoopService(
    IPredictiveLoader loader,
    PrefetchExecutor executor,
    TimeProvider time,
    IOptions<PredictiveLoadingOptions> options,
    ILogger<PrefetchLoopService> logger) : BackgroundService
{
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await executor.StopAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Prefetch.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.Prefetch.CycleInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await loader.RunCycleAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    Log.PrefetchCycleFailed(logger, exception);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
