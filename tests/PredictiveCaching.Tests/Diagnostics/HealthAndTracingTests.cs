using System.Collections.Concurrent;
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
    public async Task HealthCheck_PausedByResources_StaysHealthy_AndSaysWhy()
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

        Assert.Equal(HealthStatus.Healthy, report.Status);
        HealthReportEntry entry = report.Entries["predictive_loading"];
        Assert.Contains("Prefetching waits for resources: an application resource (0.95)", entry.Description, StringComparison.Ordinal);
        Assert.Contains("an application resource (0.95)", (string)entry.Data["paused_reason"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, HealthStatus.Unhealthy)]
    [InlineData(HealthStatus.Degraded, HealthStatus.Degraded)]
    public async Task HealthCheck_NoSourceRegistered_ReportsTheFailureStatus(HealthStatus? failureStatus, HealthStatus expected)
    {
        await using LoopHarness h = LoopHarness.Create(build: (b, _) => b.Services.AddHealthChecks().AddPredictiveLoading(failureStatus: failureStatus), defaultSource: false);
        HealthCheckService health = h.Provider.GetRequiredService<HealthCheckService>();

        HealthReport report = await health.CheckHealthAsync();

        Assert.Equal(expected, report.Status);
        Assert.Contains("No prefetch source is registered", report.Entries["predictive_loading"].Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cycle_WithListener_EmitsOneActivityPerCycleWithCandidates_NoneForIdleCyclesOrReads()
    {
        await using LoopHarness h = LoopHarness.Create();
        // Spans stop on the prefetch's thread as well as the cycle's: a plain list could lose one of two concurrent adds.
        var activities = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == PredictiveCachingDiagnostics.ActivitySourceName,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        for (int i = 0; i < 5; i++)
        {
            h.Time.Advance(TimeSpan.FromSeconds(1));
            await h.CycleAsync();
        }

        Assert.Empty(activities);

        h.Loader.ExpectReads(["a"]);
        h.Time.Advance(TimeSpan.FromSeconds(1));
        DateTimeOffset cycleTime = h.Time.GetUtcNow();
        await h.CycleAsync();
        await h.ReadAsync("a", TimeSpan.FromMinutes(1));

        Activity cycle = Assert.Single(activities, a => a.OperationName == "predictive_caching.cycle");
        Assert.Equal("Balanced", cycle.GetTagItem("predictive_caching.strategy"));
        Assert.Equal(1, cycle.GetTagItem("predictive_caching.candidates"));
        Assert.Equal(cycleTime.UtcDateTime, cycle.StartTimeUtc);
        Assert.DoesNotContain(activities, a => a.OperationName.Contains("read", StringComparison.OrdinalIgnoreCase));
    }
}

[CollectionDefinition(nameof(SerialDiagnostics), DisableParallelization = true)]
public sealed class SerialDiagnostics;
