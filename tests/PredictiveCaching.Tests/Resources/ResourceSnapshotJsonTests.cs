using System.Text.Json;
using PredictiveCaching.Resources;

namespace PredictiveCaching.Tests.Resources;

public sealed class ResourceSnapshotJsonTests
{
    [Fact]
    public void Json_ReportsWhenItWasSampledAsATime_NotTicks()
    {
        var sampled = new DateTimeOffset(2026, 12, 2, 8, 30, 0, TimeSpan.Zero);
        string json = JsonSerializer.Serialize(new ResourceSnapshot(sampled.UtcTicks, 0.25, double.NaN, 0, 0, 0, 0, double.NaN));

        Assert.Contains("\"SampledAt\":\"2026-12-02T08:30:00+00:00\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("Ticks", json, StringComparison.Ordinal);
        Assert.Contains("\"Cpu\":\"NaN\"", json, StringComparison.Ordinal);
        Assert.Contains("\"SampledAt\":null", JsonSerializer.Serialize(ResourceSnapshot.Unknown), StringComparison.Ordinal);
    }
}
