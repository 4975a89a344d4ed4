using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PredictiveCaching;
using PredictiveCaching.Caching;
using PredictiveCaching.DependencyInjection;
using PredictiveCaching.Diagnostics;
using PredictiveCaching.Loop;
using PredictiveCaching.Loop.Admission;
using PredictiveCaching.Loop.Candidates;
using PredictiveCaching.Loop.Execution;
using PredictiveCaching.Loop.Outcomes;
using PredictiveCaching.Loop.Scoring;
using PredictiveCaching.Prediction;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Priorities;
using PredictiveCaching.Resources;
using PredictiveCaching.Strategies;
using PredictiveCaching.Telemetry;
using PredictiveCaching.Tracking;
using PredictiveCaching.Warming;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers predictive loading over the application's <see cref="IDistributedCache"/>.</summary>
public static class PredictiveLoadingServiceCollectionExtensions
{
    /// <summary>
    /// Decorates the registered <see cref="IDistributedCache"/> with <see cref="PredictiveDistributedCache"/> (and the
    /// registered <c>HybridCache</c>, if any, so its reads are recorded where they happen) and adds the services that
    /// predict and prefetch keys. Calling it again only applies <paramref name="configure"/> and decorates a HybridCache
    /// registered since.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Optional changes to the default options.</param>
    /// <returns>A builder for sources, feature extractors, resource probes, strategies and plug-ins.</returns>
    public static IPredictiveLoadingBuilder AddPredictiveLoading(this IServiceCollection services, Action<PredictiveLoadingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        IPredictiveLoadingBuilder builder = AddCore(services);
        if (configure is not null)
        {
            services.Configure(configure);
        }

        return builder;
    }

    /// <summary>
    /// Decorates the registered <see cref="IDistributedCache"/> and binds the options from configuration: either the
    /// <c>PredictiveLoading</c> section itself or a configuration that contains it. Plug-in packages added on the
    /// returned builder bind their sub-sections of it (<see cref="IPredictiveLoadingBuilder.Configuration"/>); at start,
    /// each key under the section that no options type reads is logged as a warning naming the closest known key.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The <c>PredictiveLoading</c> section, or its parent.</param>
    /// <returns>A builder for sources, feature extractors, resource probes, strategies and plug-ins.</returns>
    public static IPredictiveLoadingBuilder AddPredictiveLoading(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        IPredictiveLoadingBuilder builder = AddCore(services);
        IConfiguration section = configuration is IConfigurationSection { Key: PredictiveLoadingOptions.SectionName }
            ? configuration
            : configuration.GetSection(PredictiveLoadingOptions.SectionName);
        services.Configure<PredictiveLoadingOptions>(section);
        services.AddSingleton<IConfigureOptions<PredictiveLoadingOptions>>(new LegacySettings(section));
        if (!services.Any(d => d.ServiceType == typeof(PredictiveLoadingConfiguration)))
        {
            // Plug-ins bind their sub-sections from it (IPredictiveLoadingBuilder.Configuration); keys nothing binds are reported at start.
            services.AddSingleton(new PredictiveLoadingConfiguration(section));
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ConfigurationKeyCheck>());
        }

        return builder;
    }

    private static PredictiveLoadingBuilder AddCore(IServiceCollection services)
    {
        var builder = new PredictiveLoadingBuilder(services);
        if (services.Any(d => d.ServiceType == typeof(PredictiveLoadingMarker)))
        {
            // A HybridCache registered between two calls is decorated by the second.
            HybridCacheDecoration.Apply(services);
            return builder;
        }

        services.AddSingleton<PredictiveLoadingMarker>();
        services.AddLogging();
        services.AddMetrics();
        services.AddOptions<PredictiveLoadingOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PredictiveLoadingOptions>, PredictiveLoadingOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AccessTracker>();
        services.TryAddSingleton<PrefetchPrecision>();
        services.TryAddSingleton<RecentReads>(_ => new RecentReads());
        services.TryAddSingleton<AccessRecorder>();
        services.AddResourceSampling();
        services.AddFeatureExtraction();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, DecorationCheck>());
        AddPredictionLoop(services);
        DistributedCacheDecoration.Apply(services);
        HybridCacheDecoration.Apply(services);
        return builder;
    }

    private static void AddPredictionLoop(IServiceCollection services)
    {
        services.TryAddSingleton(_ => new ActivePredictor(ActivePredictor.Heuristic));
        services.TryAddSingleton<IModelStore, NoModelStore>();
        services.TryAddSingleton<SharedModelSync>();
        services.TryAddSingleton<IModelPublisher>(static sp => sp.GetRequiredService<SharedModelSync>());
        services.TryAddSingleton<IPredictionInputs, PredictionInputs>();
        services.TryAddSingleton<StrategySelector>();
        services.TryAddSingleton(static sp =>
        {
            WarmingOptions warming = sp.GetRequiredService<IOptions<PredictiveLoadingOptions>>().Value.Warming;
            var weights = new PriorityWeights(warming.CriticalPriority, warming.HighPriority, warming.NormalPriority, warming.LowPriority);
            return new KeyPriorities(sp.GetServices<KeyPriorityRule>(), weights);
        });
        services.TryAddSingleton<PrefetchSourceResolver>();
        services.TryAddSingleton<PrefetchBudget>();
        services.TryAddSingleton<PrefetchStatistics>();
        services.TryAddSingleton<PrefetchOutcomeWatch>();
        services.TryAddSingleton<IPrefetchCoordinator, NoPrefetchCoordination>();
        services.TryAddSingleton<IExpiryLookup, NoExpiryLookup>();
        services.TryAddSingleton<CandidateExpiries>();
        services.TryAddSingleton<PrefetchExecutor>();
        services.TryAddSingleton<ApplicationHints>();
        services.TryAddSingleton<CandidateCollector>();
        services.TryAddSingleton<CandidatePresence>();
        services.TryAddSingleton<CandidateScorer>();
        services.TryAddSingleton<PrefetchAdmission>();
        services.TryAddSingleton<PrefetchCycle>();
        services.TryAddSingleton<PredictiveCachingMetrics>();
        services.TryAddSingleton<LoopDurations>();
        services.TryAddSingleton<PredictiveCachingTracing>();
        services.TryAddSingleton<IPredictiveLoader>(static sp =>
        {
            // Nothing resolves the observable instruments: they come to life with the loop they observe.
            sp.GetRequiredService<PredictiveCachingMetrics>();
            return ActivatorUtilities.CreateInstance<PredictiveLoader>(sp);
        });
        services.TryAddSingleton<WarmingService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SharedModelStartup>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PrefetchLoopService>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, StrategyAdaptationService>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, WarmingService>(sp => sp.GetRequiredService<WarmingService>()));
    }

    /// <summary>Marks a collection that already has predictive loading, so a second call does not wrap twice.</summary>
    private sealed class PredictiveLoadingMarker;
}
