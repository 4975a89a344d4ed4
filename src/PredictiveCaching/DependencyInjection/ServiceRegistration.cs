namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Helpers shared by the builder extensions.</summary>
internal static class ServiceRegistration
{
    /// <summary>
    /// Returns whether <paramref name="instance"/> is already registered for <paramref name="serviceType"/>.
    /// <c>TryAddEnumerable</c> would compare instances by type and silently drop a second instance of the same class.
    /// </summary>
    public static bool ContainsInstance(IServiceCollection services, Type serviceType, object instance)
    {
        foreach (ServiceDescriptor descriptor in services)
        {
            if (descriptor.ServiceType == serviceType && !descriptor.IsKeyedService && ReferenceEquals(descriptor.ImplementationInstance, instance))
            {
                return true;
            }
        }

        return false;
    }
}
