using Microsoft.Extensions.Diagnostics.HealthChecks;
using PredictiveCaching.Loop.Execution;
using PredictiveCaching.Prefetching;

namespace PredictiveCaching.Telemetry;

/// <summary>
/// Healthy while prefetching runs or waits for resources (a pause for a busy host is the design working, not ill
/// health); the registration's failure status, with the reason, when prefetching cannot run at all: coordination is
/// unreachable or no source is registered. The application's own reads and writes are unaffected either way.
/// </summary>
internal sealed class PredictiveLoadingHealthCheck(IPredictiveLoader loader, IPrefetchCoordinator coordinator, PrefetchSourceResolver sources) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
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

        if (status.PausedReason is { } paused)
        {
            data["paused_reason"] = paused;
        }

        string? failure = coordinator.UnavailableReason is { } unavailable
            ? "Prefetch coordination is unavailable: " + unavailable
            : sources.HasSources ? null : "No prefetch source is registered, so nothing can be prefetched.";
        HealthCheckResult result = failure is not null
            ? new HealthCheckResult(context.Registration.FailureStatus, failure, data: data)
            : HealthCheckResult.Healthy(
                status.PausedReason is { } reason
                    ? "Prefetching waits for resources: " + reason
                    : "Prefetching runs (" + status.Strategy + ", " + status.PredictorKind + ")",
                data);
        return Task.FromResult(result);
    }
}
