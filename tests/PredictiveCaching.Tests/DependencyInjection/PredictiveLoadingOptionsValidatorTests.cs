using System.Reflection;
using Microsoft.Extensions.Options;
using PredictiveCaching.DependencyInjection;
using PredictiveCaching.Validation;

namespace PredictiveCaching.Tests.DependencyInjection;

/// <summary>
/// The generated range checks and the hand-written rules together: each declared range fails just outside its bound
/// with one message naming the configuration path and the value, and holds at the bound.
/// </summary>
public sealed class PredictiveLoadingOptionsValidatorTests
{
    public static TheoryData<string> RangedOptions() => new(ConfigurationReferenceTests.OptionNames());

    [Theory]
    [MemberData(nameof(RangedOptions))]
    public void Validate_JustBelowTheMinimum_OneFailureNamingThePathAndValue(string option)
    {
        PropertyInfo property = ConfigurationReferenceTests.PropertyOf(option);
        (object atBound, object outside) = MinimumOf(property);
        var options = new PredictiveLoadingOptions();
        options.Prefetch.RecentPrecisionWindow = 1; // at most PrecisionWindow, whose bound is tested too
        property.SetValue(Target(options, option), outside);

        ValidateOptionsResult result = Validate(options);

        string path = "PredictiveLoading:" + option.Replace("<Strategy>", "Balanced", StringComparison.Ordinal);
        string failure = Assert.Single(result.Failures ?? []);
        Assert.StartsWith(path + " must be ", failure, StringComparison.Ordinal);
        Assert.EndsWith("; was " + string.Format(System.Globalization.CultureInfo.InvariantCulture, "{0}", outside), failure, StringComparison.Ordinal);

        property.SetValue(Target(options, option), atBound);
        Assert.True(Validate(options).Succeeded, path + " at its bound " + atBound);
    }

    [Fact]
    public void Validate_RecentPrecisionWindowOverPrecisionWindow_FailsAgainstTheOtherOption()
    {
        var options = new PredictiveLoadingOptions();
        options.Prefetch.PrecisionWindow = 1000;
        options.Prefetch.RecentPrecisionWindow = 2000;

        Assert.Equal(["PredictiveLoading:Prefetch:RecentPrecisionWindow must be in [1, 1000]; was 2000"], Validate(options).Failures);
    }

    [Fact]
    public void Validate_MaxConcurrencyPerSourceZero_OnlyTheDeclaredRangeFails()
    {
        var options = new PredictiveLoadingOptions();
        options.Prefetch.MaxConcurrencyPerSource = 0;

        Assert.Equal(["PredictiveLoading:Prefetch:MaxConcurrencyPerSource must be in [1, 1024]; was 0"], Validate(options).Failures);
    }

    [Fact]
    public void Validate_Defaults_Succeed()
    {
        Assert.True(Validate(new PredictiveLoadingOptions()).Succeeded);
    }

    private static ValidateOptionsResult Validate(PredictiveLoadingOptions options) =>
        new PredictiveLoadingOptionsValidator().Validate(Options.DefaultName, options);

    private static object Target(PredictiveLoadingOptions options, string option) => option.Split(':')[0] switch
    {
        "Strategies" when option.Contains("<Strategy>", StringComparison.Ordinal) => options.Strategies.Balanced,
        "Strategies" => options.Strategies,
        "Tracking" => options.Tracking,
        "Resources" => options.Resources,
        "Prefetch" => options.Prefetch,
        _ => options.Warming,
    };

    private static (object AtBound, object Outside) MinimumOf(PropertyInfo property)
    {
        if (property.GetCustomAttribute<DurationRangeAttribute>() is { } duration)
        {
            return (duration.Minimum, duration.Minimum - TimeSpan.FromTicks(1));
        }

        OptionRangeAttribute range = property.GetCustomAttribute<OptionRangeAttribute>()!;
        double min = (double)range.Minimum;
        Type type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        if (type == typeof(int))
        {
            return ((int)min, (int)min - 1);
        }

        if (type == typeof(long))
        {
            return ((long)min, (long)min - 1);
        }

        return range.MinimumIsExclusive ? (min + 0.001, min) : (min, min - 0.001);
    }
}
