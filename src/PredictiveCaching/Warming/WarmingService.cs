using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PredictiveCaching.Diagnostics;
using PredictiveCaching.Loop;
using PredictiveCaching.Loop.Candidates;
using PredictiveCaching.Loop.Outcomes;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Warming;

/// <summary>
/// At start and every <see cref="WarmingOptions.Interval"/>, loads the keys most likely to be read, weighted by
/// priority, whose copy is missing — in batches of <see cref="WarmingOptions.BatchSize"/>.
/// </summary>
/// <remarks>
/// Unlike the prefetch cycle, a round looks at every tracked key that has been read more than once; it runs rarely,
/// in the background, and catches the keys whose rhythm is too slow for the cycle's schedule to have seen yet.
/// </remarks>
internal sealed class WarmingService(
    AccessTracker tracker,
    PrefetchCycle cycle,
    PrefetchStatistics statistics,
    PredictiveCachingTracing tracing,
    TimeProvider time,
    IOptions<PredictiveLoadingOptions> options,
    ILogger<WarmingService> logger) : BackgroundService
{
    public async Task<PrefetchCycleResult> RunRoundAsync(CancellationToken cancellationToken)
    {
        using Activity? activity = tracing.Source.StartActivity("predictive_caching.warming");
        var candidates = new List<Candidate>();
        foreach (KeyAccessStatistics entry in tracker.EnumerateEntries())
        {
            if (entry.ReadCount >= 2)
            {
                candidates.Add(new Candidate(entry.Key, entry, CandidateReason.Warming, 0d, false, -1));
            }
        }

        PrefetchCycleResult result = await cycle.RunWarmingAsync(candidates, options.Value.Warming.BatchSize, cancellationToken).ConfigureAwait(false);
        statistics.OnDispatched(result);
        result.Tag(activity);
        Log.WarmingRound(logger, result.Candidates, result.Started);
        return result;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        WarmingOptions warming = options.Value.Warming;
        if (!warming.Enabled || !options.Value.Prefetch.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(warming.Interval, time);
        try
        {
            do
            {
                try
                {
                    await RunRoundAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    Log.WarmingFailed(logger, exception);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
