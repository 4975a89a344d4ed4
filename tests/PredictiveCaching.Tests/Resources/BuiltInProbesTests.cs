using Microsoft.Extensions.Options;
using PredictiveCaching.Resources;

namespace PredictiveCaching.Tests.Resources;

public sealed class BuiltInProbesTests
{
    [Fact]
    public void Sample_RealSystem_InUnitRangeOrUnknown()
    {
        IOptions<PredictiveLoadingOptions> options = Options.Create(new PredictiveLoadingOptions());
        IResourceProbe[] probes =
        [
            new MemoryProbe(),
            new CpuProbe(TimeProvider.System),
            new DiskReadProbe(TimeProvider.System),
            new DiskWriteProbe(TimeProvider.System),
            new NetworkInProbe(TimeProvider.System, options),
            new NetworkOutProbe(TimeProvider.System, options),
        ];

        foreach (IResourceProbe probe in probes)
        {
            for (int i = 0; i < 2; i++)
            {
                double value = probe.Sample();
                Assert.True(double.IsNaN(value) || value is >= 0d and <= 1d, probe.Name + " returned " + value);
            }
        }

        Assert.False(double.IsNaN(probes[0].Sample()));
    }
}
