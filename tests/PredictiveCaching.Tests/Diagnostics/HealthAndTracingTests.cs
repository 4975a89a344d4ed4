using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PredictiveCaching.Diagnostics;
using PredictiveCaching.Resources;
using PredictiveCaching.Tests.Fakes;
using PredictiveCaching.Tests.Resources;

namespace PredictiveCaching.Tests.Diagnostics;

// The activity listener is process-wide: run alone so no other test's cycles are counted.
[Collection(nameof(SerialDiagnostics))]
public sealed class HealthAndTracingTests
{
    [Fact]
    public async Task HealthCheck_PausedByResources_IsDegradedWithTheReason()
    {
        var probe = new FakeResourceProbe("queue-depth", ResourceKind.Custom, 0.95);
        await using LoopHarness h = LoopHarness.Create(build: (b, _) =>
        {
            b.AddResourceProbe(probe);
            b.Services.AddHealthChecks().AddPredictiveLoading();
        });
        HealthCheckService health = h.Provider.GetRequiredService<HealthCheckService>();

        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Status);

        h.Provider.GetRequiredService<ResourceMonitor>().SampleNow();
        await h.CycleAsync();
        HealthReport report = await health.CheckHealthAsync();

        Assert.Equal(HealthStatus.Degraded, report.Status);
        Assert.Contains("Prefetching is paused: an application resource (0.95)", report.Entries["predictive_loading"].Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cycle_WithListener_EmitsOneActivityPerCycleAndNonePerRead()
    {
        await using LoopHarness h = LoopHarness.Create();
        var activities = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == PredictiveCachingDiagnostics.ActivitySourceName,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Add,
        };
        ActivitySource.AddActivityListener(listener);

        await h.ReadAsync("a", TimeSpan.FromMinutes(1));
        await h.ReadAsync("a", TimeSpan.FromMinutes(1));
        await h.CycleAsync();

        Activity cycle = Assert.Single(activities);
        Assert.Equal("predictive_caching.cycle", cycle.OperationName);
        Assert.Equal("Balanced", cycle.GetTagItem("predictive_caching.strategy"));
    }
}

[CollectionDefinition(nameof(SerialDiagnostics), DisableParallelization = true)]
public sealed class SerialDiagnostics;
