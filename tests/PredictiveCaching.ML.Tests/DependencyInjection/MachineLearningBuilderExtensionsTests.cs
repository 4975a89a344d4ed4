using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PredictiveCaching.MachineLearning.DependencyInjection;

namespace PredictiveCaching.MachineLearning.Tests.DependencyInjection;

public sealed class MachineLearningBuilderExtensionsTests
{
    private static ServiceProvider Build(Action<MachineLearningOptions>? configure)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IDistributedCache>(new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions())));
        services.AddPredictiveLoading().AddMachineLearning(configure).AddMachineLearning();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    [Fact]
    public void AddMachineLearning_RegistersTrainerAndOneHostedService_Idempotently()
    {
        using ServiceProvider provider = Build(null);

        Assert.NotNull(provider.GetRequiredService<ModelTrainer>());
        Assert.Single(provider.GetServices<IHostedService>(), s => s is ModelTrainingService);
        Assert.Equal("heuristic", provider.GetRequiredService<PredictiveCaching.Prediction.ActivePredictor>().Current.Kind);
    }

    [Fact]
    public void AddMachineLearning_Defaults_FollowDesign()
    {
        using ServiceProvider provider = Build(null);
        MachineLearningOptions o = provider.GetRequiredService<IOptions<MachineLearningOptions>>().Value;

        Assert.Equal(100, o.NumberOfTrees);
        Assert.Equal(10, o.MaximumDepth);
        Assert.Equal(2, o.MinimumExampleCountPerLeaf);
        Assert.Equal(5, o.MinimumSamplesToSplit);
        Assert.Equal(0.05, o.FeatureImportanceThreshold);
        Assert.Equal(1000, o.MinSamplesForTraining);
        Assert.Equal(TimeSpan.FromSeconds(3600), o.RetrainingInterval);
    }

    [Fact]
    public async Task ValidateOnStart_BadOption_FailsWithPathAndValue()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IDistributedCache>(new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions())));
        services.AddPredictiveLoading().AddMachineLearning(o =>
        {
            o.NumberOfTrees = 0;
            o.LearningRate = 2;
        });
        using ServiceProvider provider = services.BuildServiceProvider();
        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("PredictiveLoading:MachineLearning:NumberOfTrees must be in [1, 10000]; was 0", ex.Message, StringComparison.Ordinal);
        Assert.Contains("PredictiveLoading:MachineLearning:LearningRate must be in (0, 1]; was 2", ex.Message, StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    [Theory]
    [InlineData(1000, 11)]
    [InlineData(50, 10)]
    [InlineData(4, 2)]
    public void LeafCount_IsMinOfDepthLeavesAndRowsPerSplit(int rows, int expected)
    {
        Assert.Equal(expected, PredictiveCaching.MachineLearning.Training.FastTreeModelBuilder.LeafCount(new MachineLearningOptions(), rows));
        Assert.Equal(4, PredictiveCaching.MachineLearning.Training.FastTreeModelBuilder.LeafCount(new MachineLearningOptions { MaximumDepth = 3 }, 100_000));
        Assert.Equal(64, PredictiveCaching.MachineLearning.Training.FastTreeModelBuilder.LeafCount(new MachineLearningOptions { MaximumDepth = 100 }, 100_000));
    }

    [Fact]
    public void Validator_Defaults_Succeed()
    {
        Assert.True(new MachineLearningOptionsValidator().Validate(null, new MachineLearningOptions()).Succeeded);
    }

    [Theory]
    [InlineData(nameof(MachineLearningOptions.FeatureImportanceThreshold), "must be in [0, 1); was 1")]
    [InlineData(nameof(MachineLearningOptions.HoldoutFraction), "must be in [0.05, 0.5]; was 0.6")]
    [InlineData(nameof(MachineLearningOptions.SampleInterval), "must be in [00:00:00.1000000, 01:00:00]; was 00:00:00.0500000")]
    [InlineData(nameof(MachineLearningOptions.MinimumRetrainingGap), "must be in [00:00:00, 01:00:00]; was 02:00:00")]
    public void Validator_DeclaredAndDependentRanges_NameThePathTheRuleAndTheValue(string option, string expected)
    {
        var options = new MachineLearningOptions();
        switch (option)
        {
            case nameof(MachineLearningOptions.FeatureImportanceThreshold): options.FeatureImportanceThreshold = 1; break;
            case nameof(MachineLearningOptions.HoldoutFraction): options.HoldoutFraction = 0.6; break;
            case nameof(MachineLearningOptions.SampleInterval): options.SampleInterval = TimeSpan.FromMilliseconds(50); break;
            default: options.MinimumRetrainingGap = TimeSpan.FromHours(2); break;
        }

        ValidateOptionsResult result = new MachineLearningOptionsValidator().Validate(null, options);

        Assert.Equal(["PredictiveLoading:MachineLearning:" + option + " " + expected], result.Failures);
    }
}
