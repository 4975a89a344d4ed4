using Microsoft.Extensions.Diagnostics.HealthChecks;
using PredictiveCaching.Prefetching;

namespace PredictiveCaching.Telemetry;

/// <summary>
/// Healthy while prefetching runs; degraded, with the reason, while it is paused (resources over the strategy's limit,
/// no source registered, coordination unavailable). The application's own reads and writes are never affected, so
/// the check never reports unhealthy.
/// </summary>
internal sealed class PredictiveLoadingHealthCheck(IPredictiveLoader loader) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        PredictiveLoaderStatus status = loader.GetStatus();
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["strategy"] = status.Strategy,
            ["predictor"] = status.PredictorKind,
            ["tracked_keys"] = status.TrackedKeys,
            ["prefetches_in_flight"] = status.InFlight,
            ["budget_remaining_bytes"] = status.BudgetRemainingBytes,
        };
        if (!double.IsNaN(status.Precision))
        {
            data["precision"] = status.Precision;
        }

        HealthCheckResult result = status.PausedReason is { } reason
            ? HealthCheckResult.Degraded("Prefetching is paused: " + reason, data: data)
            : HealthCheckResult.Healthy("Prefetching runs (" + status.Strategy + ", " + status.PredictorKind + ")", data);
        return Task.FromResult(result);
    }
}
