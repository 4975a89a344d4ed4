using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PredictiveCaching.Diagnostics;
using PredictiveCaching.Loop.Outcomes;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Resources;

namespace PredictiveCaching.Strategies;

/// <summary>Reconsiders the strategy every <see cref="StrategyOptions.UpdateInterval"/>.</summary>
internal sealed class StrategyAdaptationService(
    StrategySelector selector,
    ResourceMonitor resources,
    PrefetchPrecision accuracy,
    TimeProvider time,
    IOptions<PredictiveLoadingOptions> options,
    ILogger<StrategyAdaptationService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!selector.IsAdaptive)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.Strategies.UpdateInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    selector.Update(resources.Current, accuracy);
                }
                catch (Exception exception)
                {
                    Log.StrategyUpdateFailed(logger, exception);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
