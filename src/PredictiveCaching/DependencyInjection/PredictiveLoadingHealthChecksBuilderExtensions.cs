using Microsoft.Extensions.Diagnostics.HealthChecks;
using PredictiveCaching.Diagnostics;
using PredictiveCaching.Telemetry;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the predictive loading health check.</summary>
public static class PredictiveLoadingHealthChecksBuilderExtensions
{
    /// <summary>The default name of the check.</summary>
    public const string DefaultName = "predictive_loading";

    /// <summary>
    /// Adds a check that is healthy while prefetching runs and degraded, with the reason, while it is paused. Requires
    /// <c>AddPredictiveLoading()</c>.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The name of the check.</param>
    /// <param name="tags">Tags to filter checks by.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddPredictiveLoading(this IHealthChecksBuilder builder, string name = DefaultName, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        builder.Add(new HealthCheckRegistration(
            name,
            static sp => ActivatorUtilities.CreateInstance<PredictiveLoadingHealthCheck>(sp),
            HealthStatus.Degraded,
            tags));
        return builder;
    }
}
