using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PredictiveCaching;
using PredictiveCaching.Features;
using PredictiveCaching.MachineLearning;
using PredictiveCaching.MachineLearning.DependencyInjection;
using PredictiveCaching.MachineLearning.Diagnostics;
using PredictiveCaching.MachineLearning.Training;
using PredictiveCaching.Prediction;
using PredictiveCaching.Prefetching;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds learned prediction (ML.NET FastTree) to predictive loading.</summary>
public static class MachineLearningBuilderExtensions
{
    /// <summary>
    /// Trains access and size models in the background from the access history and swaps them in once they beat the
    /// predictor in use; loads a saved model at start when <see cref="MachineLearningOptions.ModelPath"/> names one.
    /// Calling it again only applies <paramref name="configure"/>. When predictive loading was bound from configuration
    /// (<see cref="IPredictiveLoadingBuilder.Configuration"/>), the options bind from its <c>MachineLearning</c>
    /// sub-section (<see cref="MachineLearningOptions.SectionName"/>) first; <paramref name="configure"/> applies after, so code wins.
    /// </summary>
    /// <param name="builder">The predictive loading builder.</param>
    /// <param name="configure">Optional changes to the default options.</param>
    /// <returns>The builder.</returns>
    public static IPredictiveLoadingBuilder AddMachineLearning(this IPredictiveLoadingBuilder builder, Action<MachineLearningOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IServiceCollection services = builder.Services;
        bool added = services.Any(d => d.ServiceType == typeof(MachineLearningMarker));
        if (!added)
        {
            // Registered before any configure delegate, so that options given in code override bound ones.
            builder.AddKnownSettings<MachineLearningOptions>(SubSectionName);
            if (builder.Configuration is { } configuration)
            {
                services.AddOptions<MachineLearningOptions>().Bind(configuration.GetSection(SubSectionName));
            }
        }

        if (configure is not null)
        {
            services.Configure(configure);
        }

        if (added)
        {
            return builder;
        }

        services.AddSingleton<MachineLearningMarker>();

        // The heuristic's probability and the proposal's estimate as features: a model learns where they are wrong.
        builder.AddFeatureExtractor<DecisionFeatureExtractor>();
        services.AddMetrics();
        services.TryAddSingleton(sp => new MachineLearningMetrics(
            sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
            sp.GetRequiredService<ActivePredictor>(),
            sp.GetRequiredService<TrainingSampler>(),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<MachineLearningTracing>();
        services.AddOptions<MachineLearningOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MachineLearningOptions>, MachineLearningOptionsValidator>());
        services.TryAddSingleton(sp => new TrainingSampleStore(Options(sp).MaxTrainingSamples));
        services.TryAddSingleton(sp => new TrainingSampler(
            sp.GetRequiredService<IPredictionInputs>(),
            sp.GetRequiredService<FeatureVectorBuilder>(),
            sp.GetRequiredService<TrainingSampleStore>(),
            Options(sp),
            sp.GetRequiredService<TimeProvider>()));

        // Every candidate the cycle scores is offered to the sampler (the decision points it samples by default).
        services.Replace(ServiceDescriptor.Singleton<IScoringObserver>(sp => sp.GetRequiredService<TrainingSampler>()));
        services.TryAddSingleton<ILearnedModelStatusSource>(sp => sp.GetRequiredService<ModelTrainer>());
        services.TryAddSingleton(sp =>
        {
            IPredictionInputs inputs = sp.GetRequiredService<IPredictionInputs>();
            return new ModelTrainer(
                sp.GetRequiredService<TrainingSampler>(),
                sp.GetRequiredService<FeatureSchema>(),
                sp.GetRequiredService<ActivePredictor>(),
                MeasuredPrecisionOf(sp),
                () => inputs.LookaheadWindow,
                Options(sp),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILoggerFactory>().CreateLogger<ModelTrainer>(),
                sp.GetService<IModelPublisher>(),
                sp.GetRequiredService<MachineLearningMetrics>(),
                sp.GetRequiredService<MachineLearningTracing>());
        });
        services.TryAddSingleton(sp => new ModelTrainingService(
            sp.GetRequiredService<ModelTrainer>(),
            Options(sp),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ModelTrainingService>>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ModelTrainingService>(sp => sp.GetRequiredService<ModelTrainingService>()));

        // The saved model is loaded where the active predictor is made, so it is in place before the first prefetch cycle.
        services.Replace(ServiceDescriptor.Singleton(CreateActivePredictor));
        return builder;
    }

    // MachineLearningOptions.SectionName relative to the PredictiveLoading section.
    private const string SubSectionName = "MachineLearning";

    private static MachineLearningOptions Options(IServiceProvider sp) => sp.GetRequiredService<IOptions<MachineLearningOptions>>().Value;

    // Read from the loader's status when the trainer asks (once per sample tick), not at construction: the loader's
    // status includes the trainer's own, so resolving the loader up front would be a cycle.
    private static Func<MeasuredPrecision> MeasuredPrecisionOf(IServiceProvider sp)
    {
        int window = sp.GetRequiredService<IOptions<PredictiveLoadingOptions>>().Value.Prefetch.PrecisionWindow;
        return () =>
        {
            PredictiveLoaderStatus status = sp.GetRequiredService<IPredictiveLoader>().GetStatus();
            long outcomes = Math.Min(status.PrefetchesUsed + status.PrefetchesWasted, window);
            return new MeasuredPrecision(status.Precision, (int)outcomes);
        };
    }

    private static ActivePredictor CreateActivePredictor(IServiceProvider sp)
    {
        var active = new ActivePredictor(ActivePredictor.Heuristic);
        if (Options(sp).ModelPath is not { } path)
        {
            return active;
        }

        ILogger logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger<ModelTrainer>();
        if (Directory.Exists(path))
        {
            Log.ModelPathIsDirectory(logger, path);
            return active;
        }

        if (!File.Exists(path))
        {
            Log.NoModelFile(logger, path);
            return active;
        }

        if (TreeModelFormat.TryLoad(path, sp.GetRequiredService<FeatureSchema>(), out TreeModel? model, out string? reason))
        {
            active.Use(model);
            Log.ModelLoaded(logger, model.Metadata.Version, path, model.Metadata.SampleCount, model.Metadata.HoldoutLogLoss);
        }
        else
        {
            Log.ModelRefused(logger, path, reason);
        }

        return active;
    }

    /// <summary>Marks a collection that already has learned prediction.</summary>
    private sealed class MachineLearningMarker;
}
