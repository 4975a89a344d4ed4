using PredictiveCaching.Testing;

namespace PredictiveCaching.MachineLearning.Tests.DependencyInjection;

/// <summary>The MachineLearning table of docs/configuration.md states each option's declared range and its default.</summary>
public sealed class MachineLearningOptionsReferenceTests
{
    [Fact]
    public void ConfigurationMd_MachineLearningTable_AgreesWithTheAttributesAndDefaults()
    {
        IReadOnlyList<string> mismatches = ConfigurationReference.Mismatches("MachineLearning", typeof(MachineLearningOptions));

        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
        Assert.NotEmpty(ConfigurationReference.Ranged(typeof(MachineLearningOptions)));
    }
}
