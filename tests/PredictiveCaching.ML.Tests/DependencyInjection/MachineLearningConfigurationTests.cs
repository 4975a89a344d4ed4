using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using PredictiveCaching.DependencyInjection;
using PredictiveCaching.MachineLearning.DependencyInjection;
using PredictiveCaching.Prediction;

namespace PredictiveCaching.MachineLearning.Tests.DependencyInjection;

public sealed class MachineLearningConfigurationTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "pc-ml-config-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void AddMachineLearning_FromConfiguration_BindsTheMachineLearningSubSection_CodeWins()
    {
        IConfiguration configuration = Configuration(
            ("PredictiveLoading:MachineLearning:NumberOfTrees", "42"),
            ("PredictiveLoading:MachineLearning:LearningRate", "0.5"));
        var services = new ServiceCollection();
        services.AddSingleton<IDistributedCache>(new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions())));
        services.AddPredictiveLoading(configuration).AddMachineLearning(o => o.LearningRate = 0.25).AddMachineLearning(o => o.MaximumDepth = 7);
        using ServiceProvider provider = services.BuildServiceProvider();

        MachineLearningOptions o = provider.GetRequiredService<IOptions<MachineLearningOptions>>().Value;

        Assert.Equal(42, o.NumberOfTrees);
        Assert.Equal(0.25, o.LearningRate);
        Assert.Equal(7, o.MaximumDepth);
    }

    [Fact]
    public async Task StartAsync_MachineLearningKeys_KnownWithTheLibraryAndTyposReported()
    {
        IConfiguration configuration = Configuration(
            ("PredictiveLoading:MachineLearning:NumberOfTrees", "42"),
            ("PredictiveLoading:MachineLearning:NumberOfTress", "42"));
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddFakeLogging();
        builder.Services.AddDistributedMemoryCache();
        builder.Services.AddPredictiveLoading(configuration).AddMachineLearning();
        using IHost host = builder.Build();
        await host.StartAsync();
        await host.StopAsync();

        FakeLogRecord warning = Assert.Single(host.Services.GetFakeLogCollector().GetSnapshot(), r => r.Category == typeof(ConfigurationKeyCheck).FullName);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Equal(
            "PredictiveLoading:MachineLearning:NumberOfTress is not a known setting; did you mean PredictiveLoading:MachineLearning:NumberOfTrees?",
            warning.Message);
    }

    [Theory]
    [InlineData("", "was empty.")]
    [InlineData("   ", "was whitespace.")]
    [InlineData("\t\n", "was whitespace.")]
    public void Validator_BlankModelPath_SaysWhetherEmptyOrWhitespace(string path, string expected)
    {
        ValidateOptionsResult result = new MachineLearningOptionsValidator().Validate(null, new MachineLearningOptions { ModelPath = path });

        Assert.True(result.Failed);
        Assert.Contains("PredictiveLoading:MachineLearning:ModelPath must be null or a file path; " + expected, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void ModelPath_MissingFile_LoggedAtInformation()
    {
        string path = Path.Combine(_directory, "missing.pctm");
        using var sut = MlHarness.Create(o => o.ModelPath = path);

        Assert.Equal("heuristic", sut.Active.Current.Kind);
        FakeLogRecord record = Assert.Single(sut.Logs.GetSnapshot(), r => r.Id.Id == 111);
        Assert.Equal(LogLevel.Information, record.Level);
        Assert.Contains(path, record.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ModelPath_Directory_LoggedAtInformationAsADirectory()
    {
        Directory.CreateDirectory(_directory);
        using var sut = MlHarness.Create(o => o.ModelPath = _directory);

        Assert.Equal("heuristic", sut.Active.Current.Kind);
        FakeLogRecord record = Assert.Single(sut.Logs.GetSnapshot(), r => r.Id.Id == 112);
        Assert.Equal(LogLevel.Information, record.Level);
        Assert.Contains("is a directory", record.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build();
}
