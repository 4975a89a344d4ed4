using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Resources;
using PredictiveCaching.Strategies;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Replay.Policies;

/// <summary>
/// The real library, wired as an application would wire it, on the replay's virtual clock and inner cache. No hosted
/// service is started: the replayer drives <see cref="IPredictiveLoader.RunCycleAsync"/> itself.
/// </summary>
/// <remarks>
/// Resource probes are removed: they measure the machine running the replay, which would make results depend on it
/// (and on the other jobs sharing it). Without probes, and without the ResourceMonitor's hosted service sampling,
/// the snapshot stays <see cref="ResourceSnapshot.Unknown"/>: unknown utilisation never pauses prefetching, and the
/// confidence formula takes it as 0.5 (the threshold itself is on probability, so that only changes the ranking).
/// </remarks>
internal sealed class LibraryHost : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly LoadGate _gate = new();
    private readonly ReplayContext _context;
    private long _started;
    private long _saturated;
    private long _budget;
    private long _below;
    private long _inFlight;

    /// <param name="context">The replay's clock, caches and origin.</param>
    /// <param name="strategy">The fixed strategy.</param>
    /// <param name="withSource">Whether the simulated origin is registered as the prefetch source.</param>
    /// <param name="configure">More configuration (machine learning).</param>
    /// <param name="threshold">The strategy's <c>ProbabilityThreshold</c> in place of its default (a sweep), or null.</param>
    public LibraryHost(ReplayContext context, PrefetchStrategyKind strategy, bool withSource, Action<IPredictiveLoadingBuilder>? configure = null, double? threshold = null, PrefetchMechanisms mechanisms = PrefetchMechanisms.All)
    {
        _context = context;
        var services = new ServiceCollection();

        // Both before AddPredictiveLoading: it keeps an existing TimeProvider and decorates the last IDistributedCache.
        services.AddSingleton<TimeProvider>(context.Time);
        services.AddSingleton<IDistributedCache>(context.Inner);
        IPredictiveLoadingBuilder builder = services.AddPredictiveLoading(o =>
        {
            o.Strategies.Initial = strategy;
            o.Strategies.Adaptive = false;
            o.Prefetch.CycleInterval = context.Settings.CycleInterval;
            o.Prefetch.DefaultTimeToLive = context.Settings.DefaultTtl;
            if (context.Settings.MaxConcurrency > 0)
            {
                o.Prefetch.MaxConcurrency = context.Settings.MaxConcurrency;
            }

            o.Warming.Enabled = false;
            o.Prefetch.Mechanisms = mechanisms;
            if (threshold is { } probability)
            {
                o.Strategies.For(strategy).ProbabilityThreshold = probability;
            }

            if (context.Settings.BudgetBytes > 0)
            {
                o.Strategies.For(strategy).PrefetchBudgetBytes = context.Settings.BudgetBytes;
            }
        });
        if (withSource)
        {
            SimulatedOriginSource(builder, context, _gate);
        }

        configure?.Invoke(builder);
        services.RemoveAll<IResourceProbe>();
        _provider = services.BuildServiceProvider();
        Cache = _provider.GetRequiredService<IDistributedCache>();
        Loader = _provider.GetRequiredService<IPredictiveLoader>();
    }

    public IDistributedCache Cache { get; }

    public IPredictiveLoader Loader { get; }


    public IServiceProvider Services => _provider;

    /// <summary>Gets the cycles' dispatch counts summed over the run, for the run's log.</summary>
    public string CycleTally => FormattableString.Invariant(
        $"started {_started:N0}, skipped: saturated {_saturated:N0}, budget {_budget:N0}, below threshold {_below:N0}, in flight {_inFlight:N0}");

    /// <summary>
    /// One prefetch cycle, then waits for every prefetch it started. The origin's loads are held until the cycle has
    /// finished dispatching: see <see cref="LoadGate"/>.
    /// </summary>
    public async Task<PrefetchCycleResult> RunCycleAsync()
    {
        PrefetchCycleResult result;
        _gate.Close();
        try
        {
            result = await Loader.RunCycleAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Open();
        }

        Tally(result);
        await Loader.WaitForPrefetchesAsync().ConfigureAwait(false);

        // A load the library did not write (superseded) must not mark the application's next write of the key as prefetched.
        _context.Inner.ClearExpectedPrefetches();
        return result;
    }

    private void Tally(PrefetchCycleResult result)
    {
        _started += result.Started;
        _saturated += result.SkippedSaturated;
        _budget += result.SkippedBudget;
        _below += result.SkippedBelowThreshold;
        _inFlight += result.SkippedInFlight;
    }

    public LibraryFigures Figures()
    {
        PredictiveLoaderStatus status = Loader.GetStatus();
        return new LibraryFigures(status.PrefetchesStarted, status.PrefetchesCompleted, status.PrefetchesUsed, status.PrefetchesWasted, status.Cycles, status.PausedReason);
    }

    public ValueTask DisposeAsync() => _provider.DisposeAsync();

    private static void SimulatedOriginSource(IPredictiveLoadingBuilder builder, ReplayContext context, LoadGate gate) =>
        builder.AddSource(static _ => true, async (key, _) =>
        {
            await gate.WhenOpen.ConfigureAwait(false);
            return context.Origin.TryLoadForPrefetch(key, context.Inner, out byte[] value, out DistributedCacheEntryOptions options)
                ? new PrefetchedValue(value, options)
                : null;
        });
}
