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
    /// Adds a check that is healthy while prefetching runs or waits for resources, and reports
    /// <paramref name="failureStatus"/> with the reason when prefetching cannot run at all (coordination unreachable,
    /// no source registered). Requires <c>AddPredictiveLoading()</c>.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The name of the check.</param>
    /// <param name="failureStatus">
    /// What a failure reports; <see langword="null"/> takes the health checks default (<see cref="HealthStatus.Unhealthy"/>).
    /// Prefetching is an optimisation, so <see cref="HealthStatus.Degraded"/> is often the better choice.
    /// </param>
    /// <param name="tags">Tags to filter checks by.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddPredictiveLoading(this IHealthChecksBuilder builder, string name = DefaultName, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        builder.Add(new HealthCheckRegistration(
            name,
            static sp => ActivatorUtilities.CreateInstance<PredictiveLoadingHealthCheck>(sp),
            failureStatus,
            tags));
        return builder;
    }
}
