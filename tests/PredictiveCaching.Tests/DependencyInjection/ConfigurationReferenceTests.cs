using System.Reflection;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Resources;
using PredictiveCaching.Strategies;
using PredictiveCaching.Testing;
using PredictiveCaching.Tracking;
using PredictiveCaching.Validation;
using PredictiveCaching.Warming;

namespace PredictiveCaching.Tests.DependencyInjection;

/// <summary>
/// docs/configuration.md against the one source of each range: the <see cref="OptionRangeAttribute"/> or
/// <see cref="DurationRangeAttribute"/> on the property (read by reflection), and the default an options instance has.
/// Every ranged option has a row; its "valid" cell states the attribute's bounds and its "default" cell the default.
/// The ML and Redis packages' tests check their own sections with the same reader (<see cref="ConfigurationReference"/>).
/// </summary>
public sealed class ConfigurationReferenceTests
{
    private static readonly (string Section, Type Options)[] Sections =
    [
        ("Strategies", typeof(StrategyOptions)),
        ("Tracking", typeof(TrackingOptions)),
        ("Resources", typeof(ResourceOptions)),
        ("Prefetch", typeof(PrefetchOptions)),
        ("Warming", typeof(WarmingOptions)),
    ];

    public static TheoryData<string> RangedOptions() => new(OptionNames());

    internal static IEnumerable<string> OptionNames()
    {
        foreach ((string section, Type type) in Sections)
        {
            foreach (PropertyInfo property in ConfigurationReference.Ranged(type))
            {
                yield return section + ":" + property.Name;
            }
        }

        foreach (PropertyInfo property in ConfigurationReference.Ranged(typeof(PrefetchStrategyOptions)))
        {
            yield return "Strategies:<Strategy>:" + property.Name;
        }
    }

    [Theory]
    [MemberData(nameof(RangedOptions))]
    public void ConfigurationMd_StatesTheAttributeRange(string option)
    {
        PropertyInfo property = PropertyOf(option);
        Assert.True(ConfigurationReference.Rows.TryGetValue(option, out ConfigurationRow? row), $"docs/configuration.md has no row for {option}");

        NumericRange expected = ConfigurationReference.RangeOf(property);
        NumericRange stated = ConfigurationReference.ParseRange(row.Valid, other => BoundOf(option, other));

        Assert.True(expected == stated, $"{option}: the attribute says {expected}, docs/configuration.md says '{row.Valid}' = {stated}");
    }

    [Theory]
    [MemberData(nameof(RangedOptions))]
    public void ConfigurationMd_StatesTheDefault(string option)
    {
        PropertyInfo property = PropertyOf(option);
        ConfigurationRow row = ConfigurationReference.Rows[option];
        double?[] defaults = DefaultsOf(option, property);
        if (defaults.All(d => d is null))
        {
            Assert.StartsWith("unset", row.Default, StringComparison.Ordinal);
            return;
        }

        double[] stated = ConfigurationReference.ParseDefaults(row.Default, row.Names.Length > 1 ? row.Names.Length : defaults.Length);
        if (option.StartsWith("Strategies:<Strategy>:", StringComparison.Ordinal))
        {
            Assert.Equal(defaults.Select(d => d!.Value), stated);
        }
        else
        {
            double expected = defaults[0]!.Value;
            Assert.True(stated[Array.IndexOf(row.Names, option[(option.LastIndexOf(':') + 1)..])] == expected, $"{option}: default {expected}, docs/configuration.md says '{row.Default}'");
        }
    }

    [Fact]
    public void ConfigurationMd_EveryRangedRowHasAnAttribute()
    {
        HashSet<string> ranged = [.. OptionNames()];
        HashSet<string> sections = [.. Sections.Select(s => s.Section)];
        string[] unattributed = [.. ConfigurationReference.Rows
            .Where(r => sections.Contains(r.Key[..r.Key.IndexOf(':', StringComparison.Ordinal)]) && ConfigurationReference.IsRange(r.Value.Valid) && !ranged.Contains(r.Key))
            .Select(r => r.Key)];

        Assert.True(unattributed.Length == 0, "rows with a range no attribute declares: " + string.Join(", ", unattributed));
    }

    internal static PropertyInfo PropertyOf(string option)
    {
        string[] parts = option.Split(':');
        Type type = parts[1] == "<Strategy>" ? typeof(PrefetchStrategyOptions) : Sections.Single(s => s.Section == parts[0]).Options;
        return type.GetProperty(parts[^1])!;
    }

    // "1 – `MaxConcurrency`": the upper bound of the other option's range, in the same section.
    private static double BoundOf(string option, string other) =>
        ConfigurationReference.RangeOf(PropertyOf(string.Join(':', option.Split(':')[..^1]) + ":" + other)).Max;

    private static double?[] DefaultsOf(string option, PropertyInfo property)
    {
        if (option.StartsWith("Strategies:<Strategy>:", StringComparison.Ordinal))
        {
            var strategies = new StrategyOptions();
            return [.. new[] { strategies.Aggressive, strategies.Balanced, strategies.Conservative }.Select(s => ConfigurationReference.Number(property.GetValue(s)))];
        }

        object options = Activator.CreateInstance(property.DeclaringType!)!;
        return [ConfigurationReference.Number(property.GetValue(options))];
    }
}
