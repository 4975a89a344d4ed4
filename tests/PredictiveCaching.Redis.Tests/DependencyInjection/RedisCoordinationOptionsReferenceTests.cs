using PredictiveCaching.Testing;

namespace PredictiveCaching.Redis.Tests.DependencyInjection;

/// <summary>The RedisCoordination table of docs/configuration.md states each option's declared range and its default.</summary>
public sealed class RedisCoordinationOptionsReferenceTests
{
    [Fact]
    public void ConfigurationMd_RedisCoordinationTable_AgreesWithTheAttributesAndDefaults()
    {
        IReadOnlyList<string> mismatches = ConfigurationReference.Mismatches("RedisCoordination", typeof(RedisCoordinationOptions));

        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
        Assert.NotEmpty(ConfigurationReference.Ranged(typeof(RedisCoordinationOptions)));
    }
}
