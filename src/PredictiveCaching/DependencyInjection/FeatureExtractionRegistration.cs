using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using PredictiveCaching.Features;

namespace PredictiveCaching.DependencyInjection;

/// <summary>Registers the built-in feature extractors, the <see cref="FeatureSchema"/> and the <see cref="FeatureVectorBuilder"/>.</summary>
internal static class FeatureExtractionRegistration
{
    public static IServiceCollection AddFeatureExtraction(this IServiceCollection services)
    {
        // Registered before any extractor the application adds, in this fixed order: the schema starts with them.
        services.TryAddEnumerable(
        [
            ServiceDescriptor.Singleton<IFeatureExtractor, TimeFeatureExtractor>(),
            ServiceDescriptor.Singleton<IFeatureExtractor, AccessPatternFeatureExtractor>(),
            ServiceDescriptor.Singleton<IFeatureExtractor, ResourceFeatureExtractor>(),
            ServiceDescriptor.Singleton<IFeatureExtractor, ContextFeatureExtractor>(),
        ]);
        services.TryAddSingleton(sp => new FeatureSchema(sp.GetServices<IFeatureExtractor>()));
        services.TryAddSingleton(sp => new FeatureVectorBuilder(sp.GetRequiredService<FeatureSchema>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, FeatureSchemaCheck>());
        return services;
    }
}
