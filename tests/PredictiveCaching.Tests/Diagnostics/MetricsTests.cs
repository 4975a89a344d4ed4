using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using PredictiveCaching.Diagnostics;
using PredictiveCaching.Tests.Fakes;

namespace PredictiveCaching.Tests.Diagnostics;

public sealed class MetricsTests
{
    private static readonly string[] ExpectedInstruments =
    [
        "predictive_caching.cache.hits",
        "predictive_caching.cache.misses",
        "predictive_caching.cycle.duration",
        "predictive_caching.cycle.paused",
        "predictive_caching.prefetch.budget.remaining",
        "predictive_caching.prefetch.bytes",
        "predictive_caching.prefetch.completed",
        "predictive_caching.prefetch.duration",
        "predictive_caching.prefetch.failed",
        "predictive_caching.prefetch.precision",
        "predictive_caching.prefetch.recall",
        "predictive_caching.prefetch.skipped",
        "predictive_caching.prefetch.source.breaker_opened",
        "predictive_caching.prefetch.source.breakers_open",
        "predictive_caching.prefetch.source.can_load_failed",
        "predictive_caching.prefetch.started",
        "predictive_caching.prefetch.timed_out",
        "predictive_caching.prefetch.used",
        "predictive_caching.prefetch.wasted",
        "predictive_caching.strategy.changes",
        "predictive_caching.strategy.current",
        "predictive_caching.tracking.bytes",
        "predictive_caching.tracking.evictions",
        "predictive_caching.tracking.keys",
    ];

    [Fact]
    public async Task Meter_AfterReadsAndAPrefetch_PublishesEveryInstrumentWithValues()
    {
        await using LoopHarness h = LoopHarness.Create();
        IMeterFactory factory = h.Provider.GetRequiredService<IMeterFactory>();
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        var units = new Dictionary<string, string?>(StringComparer.Ordinal);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == PredictiveCachingDiagnostics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                units[instrument.Name] = instrument.Unit;
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, _, _) => Add(values, i.Name, v));
        listener.SetMeasurementEventCallback<int>((i, v, _, _) => Add(values, i.Name, v));
        listener.SetMeasurementEventCallback<double>((i, v, _, _) => Add(values, i.Name, v));
        listener.Start();

        // a → b four times (b misses each time), then a read of a makes the loop prefetch b, which is then read.
        for (int i = 0; i < 4; i++)
        {
            await h.ReadAsync("a", TimeSpan.FromMinutes(5));
            h.Time.Advance(TimeSpan.FromSeconds(1));
            await h.ReadAsync("b", TimeSpan.FromSeconds(1));
            h.Time.Advance(TimeSpan.FromSeconds(30));
            await h.CycleAsync();
        }

        await h.ReadAsync("a", TimeSpan.FromMinutes(5));
        await h.CycleAsync();
        await h.ReadAsync("b", TimeSpan.FromSeconds(1));
        values.Clear();
        listener.RecordObservableInstruments();

        Assert.Equal(ExpectedInstruments, units.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("By", units["predictive_caching.prefetch.bytes"]);
        Assert.Equal("s", units["predictive_caching.cycle.duration"]);
        Assert.Equal(h.Hits, values["predictive_caching.cache.hits"]);
        Assert.Equal(h.Misses, values["predictive_caching.cache.misses"]);
        Assert.True(values["predictive_caching.prefetch.started"] >= 1);
        Assert.True(values["predictive_caching.prefetch.used"] >= 1);
        Assert.Equal(2, values["predictive_caching.tracking.keys"]);
        Assert.Equal(1, values["predictive_caching.strategy.current"]);
    }

    [Fact]
    public async Task Skipped_ReportsTheResilienceAndSizeReasons()
    {
        await using LoopHarness h = LoopHarness.Create();
        IMeterFactory factory = h.Provider.GetRequiredService<IMeterFactory>();
        var reasons = new HashSet<string>(StringComparer.Ordinal);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "predictive_caching.prefetch.skipped" && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                reasons.Add((string)tag.Value!);
            }
        });
        listener.Start();

        listener.RecordObservableInstruments();

        Assert.Contains("oversize", reasons);
        Assert.Contains("breaker_open", reasons);
        Assert.Contains("source_busy", reasons);
        Assert.DoesNotContain("backing_off", reasons);
    }

    private static void Add(Dictionary<string, double> values, string name, double value) =>
        values[name] = values.GetValueOrDefault(name) + value;
}
