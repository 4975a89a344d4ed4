using System.Reflection;
using System.Runtime.CompilerServices;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Tests.Architecture;

/// <summary>
/// The ML and Redis packages build on the core's public contracts only, as a third-party package would: the core shows
/// its internals to test projects and benchmarks, never to another package.
/// </summary>
public sealed class PackageBoundaryTests
{
    [Fact]
    public void Core_ShowsItsInternalsToNoPackage()
    {
        string[] friends = typeof(TrackingOptions).Assembly.GetCustomAttributes<InternalsVisibleToAttribute>()
            .Select(a => a.AssemblyName)
            .ToArray();

        Assert.DoesNotContain("PredictiveCaching.ML", friends);
        Assert.DoesNotContain("PredictiveCaching.Redis", friends);
        Assert.All(friends, name => Assert.True(name.EndsWith(".Tests", StringComparison.Ordinal) || name.EndsWith(".Benchmarks", StringComparison.Ordinal), name));
    }
}
