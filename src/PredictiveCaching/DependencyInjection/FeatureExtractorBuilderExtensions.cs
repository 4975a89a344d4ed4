using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PredictiveCaching.Features;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds application-defined <see cref="IFeatureExtractor"/>s to predictive loading.</summary>
public static class FeatureExtractorBuilderExtensions
{
    /// <summary>
    /// Adds an extractor, created by the container as a singleton. Its features follow the built-in ones and those of
    /// extractors added before it, in the order of the calls; adding the same type again has no effect. Its feature names
    /// must not repeat any other extractor's.
    /// </summary>
    /// <typeparam name="TExtractor">The extractor type.</typeparam>
    /// <param name="builder">The predictive loading builder.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IPredictiveLoadingBuilder AddFeatureExtractor<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TExtractor>(
        this IPredictiveLoadingBuilder builder)
        where TExtractor : class, IFeatureExtractor
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IFeatureExtractor, TExtractor>());
        return builder;
    }

    /// <summary>
    /// Adds an extractor instance. Its features follow those of extractors added before it; adding the same instance again
    /// has no effect.
    /// </summary>
    /// <param name="builder">The predictive loading builder.</param>
    /// <param name="extractor">The extractor.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IPredictiveLoadingBuilder AddFeatureExtractor(this IPredictiveLoadingBuilder builder, IFeatureExtractor extractor)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(extractor);
        if (!ServiceRegistration.ContainsInstance(builder.Services, typeof(IFeatureExtractor), extractor))
        {
            builder.Services.AddSingleton(extractor);
        }

        return builder;
    }
}
