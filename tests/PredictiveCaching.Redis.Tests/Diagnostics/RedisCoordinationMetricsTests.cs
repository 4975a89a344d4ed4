using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using PredictiveCaching.Redis.Diagnostics;
using PredictiveCaching.Testing;

namespace PredictiveCaching.Redis.Tests.Diagnostics;

public sealed class RedisCoordinationMetricsTests
{
    [Fact]
    public void Meter_PublishesExactlyTheInstrumentsDocsOperationsLists()
    {
        using ServiceProvider provider = new ServiceCollection().AddMetrics().BuildServiceProvider();
        IMeterFactory factory = provider.GetRequiredService<IMeterFactory>();
        var published = new SortedSet<string>(StringComparer.Ordinal);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, _) =>
        {
            if (instrument.Meter.Name == RedisCoordinationDiagnostics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                published.Add(instrument.Name);
            }
        };
        listener.Start();

        using var sut = new RedisCoordinationMetrics(factory);

        Assert.Equal(TelemetryReference.InstrumentsOf(RedisCoordinationDiagnostics.MeterName), published);
    }
}
