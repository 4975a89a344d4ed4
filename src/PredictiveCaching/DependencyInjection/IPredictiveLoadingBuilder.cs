using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Returned by <see cref="PredictiveLoadingServiceCollectionExtensions.AddPredictiveLoading(IServiceCollection, System.Action{PredictiveCaching.PredictiveLoadingOptions}?)"/>;
/// extension methods on it add sources, feature extractors, resource probes, strategies and plug-in packages.
/// </summary>
public interface IPredictiveLoadingBuilder
{
    /// <summary>Gets the service collection the predictive loading is registered in.</summary>
    IServiceCollection Services { get; }

    /// <summary>
    /// Gets the <c>PredictiveLoading</c> configuration section the options were bound from by
    /// <see cref="PredictiveLoadingServiceCollectionExtensions.AddPredictiveLoading(IServiceCollection, IConfiguration)"/>
    /// (in this or an earlier call on the same service collection), or <see langword="null"/> when predictive loading
    /// is configured in code only. Plug-in packages bind their own options from a sub-section of it (for example
    /// <c>PredictiveLoading:MachineLearning</c>) and declare that sub-section with
    /// <see cref="PredictiveLoadingConfigurationBuilderExtensions.AddKnownSettings{TOptions}(IPredictiveLoadingBuilder, string)"/>.
    /// </summary>
    IConfiguration? Configuration => null;
}
