using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PredictiveCaching.Resources;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds application-defined <see cref="IResourceProbe"/>s to predictive loading.</summary>
public static class ResourceProbeBuilderExtensions
{
    /// <summary>
    /// Adds a probe, created by the container as a singleton, to those the resource monitor samples. Adding the same
    /// type again has no effect.
    /// </summary>
    /// <typeparam name="TProbe">The probe type.</typeparam>
    /// <param name="builder">The predictive loading builder.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IPredictiveLoadingBuilder AddResourceProbe<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TProbe>(
        this IPredictiveLoadingBuilder builder)
        where TProbe : class, IResourceProbe
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IResourceProbe, TProbe>());
        return builder;
    }

    /// <summary>
    /// Adds a probe instance to those the resource monitor samples. Adding the same instance again has no effect;
    /// several instances of one type may be added.
    /// </summary>
    /// <param name="builder">The predictive loading builder.</param>
    /// <param name="probe">The probe.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IPredictiveLoadingBuilder AddResourceProbe(this IPredictiveLoadingBuilder builder, IResourceProbe probe)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(probe);
        if (!ServiceRegistration.ContainsInstance(builder.Services, typeof(IResourceProbe), probe))
        {
            builder.Services.AddSingleton(probe);
        }

        return builder;
    }
}
