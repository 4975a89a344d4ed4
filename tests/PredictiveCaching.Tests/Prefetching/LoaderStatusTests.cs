using System.Text.Json;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Tests.Fakes;

namespace PredictiveCaching.Tests.Prefetching;

public sealed class LoaderStatusTests
{
    [Fact]
    public async Task GetStatus_BeforeAnyOutcome_SerializesToJsonWithUnknownsAsNaN()
    {
        // A status endpoint (app.MapGet("/status", loader => loader.GetStatus())) must not fail on unknown values.
        await using LoopHarness h = LoopHarness.Create();
        PredictiveLoaderStatus status = h.Loader.GetStatus();
        Assert.True(double.IsNaN(status.Precision));

        string json = JsonSerializer.Serialize(status);

        using JsonDocument document = JsonDocument.Parse(json);
        Assert.Equal("NaN", document.RootElement.GetProperty("Precision").GetString());
        Assert.Equal("NaN", document.RootElement.GetProperty("Resources").GetProperty("Memory").GetString());
        Assert.Equal("Balanced", document.RootElement.GetProperty("Strategy").GetString());
    }
}
