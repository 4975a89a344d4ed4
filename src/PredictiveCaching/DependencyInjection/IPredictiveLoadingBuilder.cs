namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Returned by <see cref="PredictiveLoadingServiceCollectionExtensions.AddPredictiveLoading(IServiceCollection, System.Action{PredictiveCaching.PredictiveLoadingOptions}?)"/>;
/// extension methods on it add sources, feature extractors, resource probes, strategies and plug-in packages.
/// </summary>
public interface IPredictiveLoadingBuilder
{
    /// <summary>Gets the service collection the predictive loading is registered in.</summary>
    IServiceCollection Services { get; }
}
