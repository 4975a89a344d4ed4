using PredictiveCaching.Replay.Readers;
using PredictiveCaching.Replay.Synthetic;

namespace PredictiveCaching.Replay.Tests.Synthetic;

public class SyntheticWorkloadTests
{
    [Fact]
    public void Generate_SameSeed_SameWorkload()
    {
        var options = new SyntheticWorkloadOptions { DurationSeconds = 600 };
        Assert.Equal(SyntheticWorkload.Generate(options), SyntheticWorkload.Generate(options));
    }

    [Fact]
    public void Generate_PeriodicKeys_OutliveTheirTtl()
    {
        var options = new SyntheticWorkloadOptions { DurationSeconds = 3600, ZipfReadsPerSecond = 0, SessionsPerSecond = 0, PagedListingsPerSecond = 0, NoisePerSecond = 0 };
        IReadOnlyList<TraceRequest> trace = SyntheticWorkload.Generate(options);
        foreach (IGrouping<string, TraceRequest> key in trace.GroupBy(r => r.Key))
        {
            double[] times = [.. key.Select(r => r.TimeSeconds)];
            for (int i = 1; i < times.Length; i++)
            {
                Assert.True(times[i] - times[i - 1] > options.TtlSeconds, $"{key.Key}: {times[i] - times[i - 1]} s");
            }
        }
    }

    [Fact]
    public void WriteCsv_ReadsBackThroughThePlainReader()
    {
        var options = new SyntheticWorkloadOptions { DurationSeconds = 300 };
        string path = Path.Combine(Path.GetTempPath(), $"synthetic-{Guid.NewGuid():N}.csv");
        SyntheticWorkload.WriteCsv(path, options);
        Assert.Equal(SyntheticWorkload.Generate(options), TraceReader.Read(path).ToList());
    }
}
