using System.Diagnostics.CodeAnalysis;
using PredictiveCaching.DependencyInjection;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Lets plug-in packages declare the settings they read from the predictive loading configuration section.</summary>
public static class PredictiveLoadingConfigurationBuilderExtensions
{
    /// <summary>
    /// Declares that <typeparamref name="TOptions"/> binds from <c>PredictiveLoading:<paramref name="sectionName"/></c>,
    /// so that the start-up check of <see cref="PredictiveLoadingServiceCollectionExtensions.AddPredictiveLoading(IServiceCollection, Microsoft.Extensions.Configuration.IConfiguration)"/>
    /// accepts its public properties there instead of warning that they are unknown settings. Declaring the same
    /// section again has no effect.
    /// </summary>
    /// <typeparam name="TOptions">The options type; its public properties are the known settings of the section.</typeparam>
    /// <param name="builder">The predictive loading builder.</param>
    /// <param name="sectionName">The sub-section's name under <c>PredictiveLoading</c>, for example <c>MachineLearning</c>.</param>
    /// <returns>The builder.</returns>
    public static IPredictiveLoadingBuilder AddKnownSettings<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TOptions>(
        this IPredictiveLoadingBuilder builder,
        string sectionName)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(sectionName);
        foreach (ServiceDescriptor descriptor in builder.Services)
        {
            if (descriptor.ImplementationInstance is KnownSettingsSection existing
                && string.Equals(existing.SectionName, sectionName, StringComparison.OrdinalIgnoreCase))
            {
                return builder;
            }
        }

        builder.Services.AddSingleton(new KnownSettingsSection(sectionName, KnownSettings.Of<TOptions>()));
        return builder;
    }
}
