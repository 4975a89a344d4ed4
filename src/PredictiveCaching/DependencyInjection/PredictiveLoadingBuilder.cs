using Microsoft.Extensions.Configuration;
using PredictiveCaching.DependencyInjection;

namespace Microsoft.Extensions.DependencyInjection;

internal sealed class PredictiveLoadingBuilder(IServiceCollection services) : IPredictiveLoadingBuilder
{
    public IServiceCollection Services { get; } = services;

    // Read from the collection rather than kept: a builder from a later AddPredictiveLoading() without configuration
    // still sees the section an earlier AddPredictiveLoading(configuration) registered.
    public IConfiguration? Configuration
    {
        get
        {
            foreach (ServiceDescriptor descriptor in Services)
            {
                if (descriptor.ServiceType == typeof(PredictiveLoadingConfiguration)
                    && descriptor.ImplementationInstance is PredictiveLoadingConfiguration registered)
                {
                    return registered.Section;
                }
            }

            return null;
        }
    }
}
