using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using PredictiveCaching.DependencyInjection;

namespace PredictiveCaching.Tests.DependencyInjection;

public sealed class ConfigurationKeyCheckTests
{
    [Fact]
    public async Task StartAsync_MisspeltKeys_WarnsNamingTheKeyAndTheClosestKnownOne()
    {
        List<string> warnings = await StartAndCollectWarningsAsync(
            null,
            ("PredictiveLoading:Prefetch:MaxConcurency", "8"),
            ("PredictiveLoading:Stratgies:Initial", "Aggressive"),
            ("PredictiveLoading:Stratgies:Balanced:ProbabilityThreshold", "0.5"),
            ("PredictiveLoading:Strategies:Balanced:ProbabilityThreshhold", "0.5"),
            ("PredictiveLoading:Zzzzzzzz", "1"));

        Assert.Equal(
            [
                "PredictiveLoading:Prefetch:MaxConcurency is not a known setting; did you mean PredictiveLoading:Prefetch:MaxConcurrency?",
                "PredictiveLoading:Strategies:Balanced:ProbabilityThreshhold is not a known setting; did you mean PredictiveLoading:Strategies:Balanced:ProbabilityThreshold?",
                "PredictiveLoading:Stratgies is not a known setting; did you mean PredictiveLoading:Strategies?",
                "PredictiveLoading:Zzzzzzzz is not a known setting; it is ignored.",
            ],
            warnings.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task StartAsync_EveryKnownKeyInAnyCase_NoWarning()
    {
        List<string> warnings = await StartAndCollectWarningsAsync(
            null,
            ("PredictiveLoading:Tracking:MaxTrackedKeys", "5000"),
            ("PredictiveLoading:Tracking:MaxTrackedBytes", "8388608"),
            ("predictiveloading:prefetch:maxconcurrency", "8"),
            ("PredictiveLoading:Strategies:Conservative:LookaheadWindow", "00:01:00"),
            ("PredictiveLoading:Strategies:Adaptive", "false"),
            ("PredictiveLoading:Resources:CpuThreshold", "0.9"),
            ("PredictiveLoading:Warming:Enabled", "false"),
            ("Logging:LogLevel:Default", "Information"));

        Assert.Empty(warnings);
    }

    [Fact]
    public async Task StartAsync_DeprecatedConfidenceThreshold_IsStillRead_AndWarnedWithItsNewName()
    {
        List<string> warnings = await StartAndCollectWarningsAsync(
            null,
            ("PredictiveLoading:Strategies:Balanced:ConfidenceThreshold", "0.55"));

        Assert.Equal(
            ["PredictiveLoading:Strategies:Balanced:ConfidenceThreshold is deprecated and still read; rename it PredictiveLoading:Strategies:Balanced:ProbabilityThreshold"],
            warnings);
    }

    [Theory]
    [InlineData(null, 0.55)]
    [InlineData("0.65", 0.65)]
    public void DeprecatedConfidenceThreshold_BindsAsProbabilityThreshold_UnlessTheNewNameIsSet(string? newValue, double expected)
    {
        var values = new List<(string, string)> { ("PredictiveLoading:Strategies:Conservative:ConfidenceThreshold", "0.55") };
        if (newValue is not null)
        {
            values.Add(("PredictiveLoading:Strategies:Conservative:ProbabilityThreshold", newValue));
        }

        var services = new ServiceCollection();
        services.AddDistributedMemoryCache();
        services.AddPredictiveLoading(Configuration([.. values]));
        using ServiceProvider provider = services.BuildServiceProvider();

        PredictiveLoadingOptions options = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<PredictiveLoadingOptions>>().Value;
        Assert.Equal(expected, options.Strategies.Conservative.ProbabilityThreshold);
        Assert.Equal(0.7, options.Strategies.Balanced.ProbabilityThreshold);
    }

    [Fact]
    public async Task StartAsync_DeprecatedAccuracySettings_AreReadAsPrecisionSettings_AndWarned()
    {
        (string, string)[] values =
        [
            ("PredictiveLoading:Prefetch:AccuracyWindow", "500"),
            ("PredictiveLoading:Prefetch:ConfidenceAccuracyWindow", "50"),
            ("PredictiveLoading:Prefetch:InitialAccuracy", "0.6"),
        ];
        List<string> warnings = await StartAndCollectWarningsAsync(null, values);

        Assert.Equal(
            [
                "PredictiveLoading:Prefetch:AccuracyWindow is deprecated and still read; rename it PredictiveLoading:Prefetch:PrecisionWindow",
                "PredictiveLoading:Prefetch:ConfidenceAccuracyWindow is deprecated and still read; rename it PredictiveLoading:Prefetch:RecentPrecisionWindow",
                "PredictiveLoading:Prefetch:InitialAccuracy is deprecated and still read; rename it PredictiveLoading:Prefetch:InitialPrecision",
            ],
            warnings.Order(StringComparer.Ordinal));
        var services = new ServiceCollection();
        services.AddDistributedMemoryCache();
        services.AddPredictiveLoading(Configuration(values));
        using ServiceProvider provider = services.BuildServiceProvider();
        PredictiveLoadingOptions options = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<PredictiveLoadingOptions>>().Value;
        Assert.Equal(500, options.Prefetch.PrecisionWindow);
        Assert.Equal(50, options.Prefetch.RecentPrecisionWindow);
        Assert.Equal(0.6, options.Prefetch.InitialPrecision);
    }

    [Fact]
    public async Task StartAsync_PlugInSection_KnownOnceDeclared()
    {
        List<string> warnings = await StartAndCollectWarningsAsync(
            builder => builder.AddKnownSettings<PlugInOptions>("PlugIn").AddKnownSettings<PlugInOptions>("plugin"),
            ("PredictiveLoading:PlugIn:Threshold", "1"),
            ("PredictiveLoading:PlugIn:Treshold", "1"),
            ("PredictiveLoading:OtherPlugIn:Threshold", "1"));

        Assert.Equal(
            [
                "PredictiveLoading:OtherPlugIn is not a known setting; it is ignored.",
                "PredictiveLoading:PlugIn:Treshold is not a known setting; did you mean PredictiveLoading:PlugIn:Threshold?",
            ],
            warnings.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Configuration_IsTheBoundSection_AlsoOnALaterBuilder_AndNullInCodeOnly()
    {
        IConfiguration root = Configuration(("PredictiveLoading:Tracking:MaxTrackedKeys", "5000"));
        var services = new ServiceCollection();
        services.AddDistributedMemoryCache();
        IPredictiveLoadingBuilder bound = services.AddPredictiveLoading(root);
        IPredictiveLoadingBuilder later = services.AddPredictiveLoading();

        Assert.Equal("PredictiveLoading", Assert.IsAssignableFrom<IConfigurationSection>(bound.Configuration).Path);
        Assert.Same(bound.Configuration, later.Configuration);
        Assert.Null(new ServiceCollection().AddPredictiveLoading().Configuration);
        Assert.Single(services, d => d.ImplementationType == typeof(ConfigurationKeyCheck));
    }

    [Fact]
    public void AddPredictiveLoading_InCode_RegistersNoKeyCheck()
    {
        var services = new ServiceCollection();
        services.AddPredictiveLoading();

        Assert.DoesNotContain(services, d => d.ImplementationType == typeof(ConfigurationKeyCheck));
    }

    [Theory]
    [InlineData("MaxConcurency", "MaxConcurrency")]
    [InlineData("maxconcurrency", "MaxConcurrency")]
    [InlineData("Timout", "Timeout")]
    [InlineData("Tmo", null)]
    [InlineData("Something", null)]
    public void ClosestName_OnlyWhenCloseEnough(string name, string? expected) =>
        Assert.Equal(expected, ConfigurationKeyCheck.ClosestName(name, ["Enabled", "CycleInterval", "MaxConcurrency", "Timeout", "MaxBackoff"]));

    [Theory]
    [InlineData("", "", 0)]
    [InlineData("abc", "", 3)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("Stratgies", "strategies", 1)]
    public void EditDistance_CaseInsensitiveLevenshtein(string a, string b, int expected) =>
        Assert.Equal(expected, ConfigurationKeyCheck.EditDistance(a, b));

    private static async Task<List<string>> StartAndCollectWarningsAsync(Action<IPredictiveLoadingBuilder>? build, params (string Key, string Value)[] values)
    {
        IConfiguration configuration = Configuration(values);
        HostApplicationBuilder hostBuilder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        hostBuilder.Services.AddFakeLogging();
        hostBuilder.Services.AddDistributedMemoryCache();
        IPredictiveLoadingBuilder builder = hostBuilder.Services.AddPredictiveLoading(configuration);
        build?.Invoke(builder);
        using IHost host = hostBuilder.Build();
        await host.StartAsync();
        await host.StopAsync();

        List<string> warnings = [];
        foreach (FakeLogRecord record in host.Services.GetFakeLogCollector().GetSnapshot())
        {
            if (record.Level == LogLevel.Warning && record.Category == typeof(ConfigurationKeyCheck).FullName)
            {
                warnings.Add(record.Message);
            }
        }

        return warnings;
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build();

    private sealed class PlugInOptions
    {
        public int Threshold { get; set; }
    }
}
