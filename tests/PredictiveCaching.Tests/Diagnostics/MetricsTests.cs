using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using PredictiveCaching.Diagnostics;
using PredictiveCaching.Testing;
using PredictiveCaching.Tests.Fakes;

namespace PredictiveCaching.Tests.Diagnostics;

public sealed class MetricsTests
{
    // docs/operations.md lists every instrument of the core meter, one per row: the test holds the two to each other.
    private static readonly string[] DocumentedInstruments = TelemetryReference.InstrumentsOf("PredictiveCaching");

    [Fact]
    public async Task Meter_AfterReadsAndAPrefetch_PublishesEveryInstrumentWithValues()
    {
        await using LoopHarness h = LoopHarness.Create();
        IMeterFactory factory = h.Provider.GetRequiredService<IMeterFactory>();
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        var tagged = new Dictionary<string, double>(StringComparer.Ordinal);
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
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(values, tagged, i.Name, v, tags));
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Add(values, tagged, i.Name, v, tags));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(values, tagged, i.Name, v, tags));
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

        Assert.Equal(DocumentedInstruments, units.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("By", units["predictive_caching.prefetch.bytes"]);
        Assert.Equal("s", units["predictive_caching.cycle.duration"]);
        Assert.Equal(h.Hits, tagged["predictive_caching.cache.reads{predictive_caching.read.outcome=hit}"]);
        Assert.Equal(h.Misses, tagged["predictive_caching.cache.reads{predictive_caching.read.outcome=miss}"]);
        Assert.True(values["predictive_caching.prefetch.started"] >= 1);
        Assert.True(tagged["predictive_caching.prefetch.loads{predictive_caching.prefetch.load.result=written}"] >= 1);
        Assert.True(tagged["predictive_caching.prefetch.copies{predictive_caching.prefetch.copy.outcome=used}"] >= 1);
        Assert.Equal(2, values["predictive_caching.tracking.key.count"]);
        Assert.Equal(1, tagged["predictive_caching.prefetch.source.count{predictive_caching.breaker.state=closed}"]);
        Assert.Equal(1, tagged["predictive_caching.strategy.current{predictive_caching.strategy=Balanced}"]);
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
                Assert.Equal("predictive_caching.prefetch.skip.reason", tag.Key);
                reasons.Add((string)tag.Value!);
            }
        });
        listener.Start();

        listener.RecordObservableInstruments();

        Assert.Contains("oversize", reasons);
        Assert.Contains("breaker_open", reasons);
        Assert.Contains("source_busy", reasons);
        Assert.DoesNotContain("backing_off", reasons);
        Assert.DoesNotContain("superseded", reasons); // a load result, not a reason to skip a candidate
    }

    private static void Add(Dictionary<string, double> values, Dictionary<string, double> tagged, string name, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        values[name] = values.GetValueOrDefault(name) + value;
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            string key = $"{name}{{{tag.Key}={tag.Value}}}";
            tagged[key] = tagged.GetValueOrDefault(key) + value;
        }
    }
}
