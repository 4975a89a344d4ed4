using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Resources;
using PredictiveCaching.Strategies;
using PredictiveCaching.Tracking;
using PredictiveCaching.Validation;
using PredictiveCaching.Warming;

namespace PredictiveCaching.Tests.DependencyInjection;

/// <summary>
/// docs/configuration.md against the one source of each range: the <see cref="OptionRangeAttribute"/> or
/// <see cref="DurationRangeAttribute"/> on the property (read by reflection), and the default an options instance has.
/// Every ranged option has a row; its "valid" cell states the attribute's bounds and its "default" cell the default.
/// </summary>
public sealed partial class ConfigurationReferenceTests
{
    private static readonly (string Section, Type Options)[] Sections =
    [
        ("Strategies", typeof(StrategyOptions)),
        ("Tracking", typeof(TrackingOptions)),
        ("Resources", typeof(ResourceOptions)),
        ("Prefetch", typeof(PrefetchOptions)),
        ("Warming", typeof(WarmingOptions)),
    ];

    private static readonly Lazy<Dictionary<string, Row>> Rows = new(ReadRows);

    public static TheoryData<string> RangedOptions() => new(OptionNames());

    internal static IEnumerable<string> OptionNames()
    {
        foreach ((string section, Type type) in Sections)
        {
            foreach (PropertyInfo property in Ranged(type))
            {
                yield return section + ":" + property.Name;
            }
        }

        foreach (PropertyInfo property in Ranged(typeof(PrefetchStrategyOptions)))
        {
            yield return "Strategies:<Strategy>:" + property.Name;
        }
    }

    [Theory]
    [MemberData(nameof(RangedOptions))]
    public void ConfigurationMd_StatesTheAttributeRange(string option)
    {
        PropertyInfo property = PropertyOf(option);
        Assert.True(Rows.Value.TryGetValue(option, out Row? row), $"docs/configuration.md has no row for {option}");

        (double Min, double Max, bool MinExclusive) expected = RangeOf(property);
        (double Min, double Max, bool MinExclusive) stated = ParseRange(row.Valid, option);

        Assert.True(expected == stated, $"{option}: the attribute says {expected}, docs/configuration.md says '{row.Valid}' = {stated}");
    }

    [Theory]
    [MemberData(nameof(RangedOptions))]
    public void ConfigurationMd_StatesTheDefault(string option)
    {
        PropertyInfo property = PropertyOf(option);
        Row row = Rows.Value[option];
        double?[] defaults = DefaultsOf(option, property);
        if (defaults.All(d => d is null))
        {
            Assert.StartsWith("unset", row.Default, StringComparison.Ordinal);
            return;
        }

        double[] stated = ParseDefaults(row.Default, row.Names.Length > 1 ? row.Names.Length : defaults.Length, option);
        double expected = option.StartsWith("Strategies:<Strategy>:", StringComparison.Ordinal)
            ? double.NaN
            : defaults[0]!.Value;
        if (double.IsNaN(expected))
        {
            Assert.Equal(defaults.Select(d => d!.Value), stated);
        }
        else
        {
            Assert.True(stated[Array.IndexOf(row.Names, option[(option.LastIndexOf(':') + 1)..])] == expected, $"{option}: default {expected}, docs/configuration.md says '{row.Default}'");
        }
    }

    [Fact]
    public void ConfigurationMd_EveryRangedRowHasAnAttribute()
    {
        HashSet<string> ranged = [.. OptionNames()];
        string[] unattributed = [.. Rows.Value.Where(r => IsRange(r.Value.Valid) && !ranged.Contains(r.Key)).Select(r => r.Key)];

        Assert.True(unattributed.Length == 0, "rows with a range no attribute declares: " + string.Join(", ", unattributed));
    }

    private static IEnumerable<PropertyInfo> Ranged(Type type) =>
        type.GetProperties().Where(p => p.GetCustomAttribute<OptionRangeAttribute>() is not null || p.GetCustomAttribute<DurationRangeAttribute>() is not null);

    internal static PropertyInfo PropertyOf(string option)
    {
        string[] parts = option.Split(':');
        Type type = parts[1] == "<Strategy>" ? typeof(PrefetchStrategyOptions) : Sections.Single(s => s.Section == parts[0]).Options;
        return type.GetProperty(parts[^1])!;
    }

    private static (double, double, bool) RangeOf(PropertyInfo property)
    {
        if (property.GetCustomAttribute<DurationRangeAttribute>() is { } duration)
        {
            return (duration.Minimum.TotalMilliseconds, duration.Maximum.TotalMilliseconds, false);
        }

        OptionRangeAttribute range = property.GetCustomAttribute<OptionRangeAttribute>()!;
        return ((double)range.Minimum, range.Unbounded ? double.PositiveInfinity : (double)range.Maximum, range.MinimumIsExclusive);
    }

    private static double?[] DefaultsOf(string option, PropertyInfo property)
    {
        if (option.StartsWith("Strategies:<Strategy>:", StringComparison.Ordinal))
        {
            var strategies = new StrategyOptions();
            return [.. new[] { strategies.Aggressive, strategies.Balanced, strategies.Conservative }.Select(s => Number(property.GetValue(s)))];
        }

        object options = Activator.CreateInstance(property.DeclaringType!)!;
        return [Number(property.GetValue(options))];
    }

    private static double? Number(object? value) => value switch
    {
        null => null,
        TimeSpan span => span.TotalMilliseconds,
        _ => Convert.ToDouble(value, CultureInfo.InvariantCulture),
    };

    private static bool IsRange(string cell) => cell.Contains('–', StringComparison.Ordinal) || cell.StartsWith('≥') || cell.StartsWith('(') || cell.StartsWith('[');

    // "(0, 1]", "[0, 1]", "≥ 1", "16 – 100 000 000", "1 s – 1 day", "1 048 576 (1 MiB) – 68 719 476 736 (64 GiB)", "1 – `MaxConcurrency`".
    private static (double, double, bool) ParseRange(string cell, string option)
    {
        Match interval = IntervalPattern().Match(cell);
        if (interval.Success)
        {
            return (Quantity(interval.Groups[2].Value, option), Quantity(interval.Groups[3].Value, option), interval.Groups[1].Value == "(");
        }

        if (cell.StartsWith('≥'))
        {
            return (Quantity(cell[1..], option), double.PositiveInfinity, false);
        }

        string[] ends = Parenthetical().Replace(cell, string.Empty).Split('–');
        Assert.True(ends.Length == 2, $"{option}: cannot read the range '{cell}'");
        return (Quantity(ends[0], option), Quantity(ends[1], option), false);
    }

    private static double[] ParseDefaults(string cell, int count, string option)
    {
        string plain = Parenthetical().Replace(cell, string.Empty);
        Match unit = UnitSuffix().Match(plain);
        string[] values = plain.Split('/');
        Assert.True(values.Length == count, $"{option}: '{cell}' does not state {count} default(s)");
        return [.. values.Select(v => Quantity(unit.Success && !UnitSuffix().IsMatch(v) ? v + " " + unit.Groups[1].Value : v, option))];
    }

    // A number with optional digit-group spaces and a unit, or a backticked option whose range bound it is.
    private static double Quantity(string text, string option)
    {
        text = text.Trim();
        if (text.StartsWith('`'))
        {
            string other = string.Join(':', option.Split(':')[..^1]) + ":" + text.Trim('`');
            return RangeOf(PropertyOf(other)).Item2;
        }

        Match match = QuantityPattern().Match(text);
        Assert.True(match.Success, $"{option}: cannot read '{text}'");
        double number = double.Parse(match.Groups[1].Value.Replace(" ", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch
        {
            "" => number,
            "ms" => number,
            "s" => number * 1_000,
            "min" => number * 60_000,
            "h" => number * 3_600_000,
            "day" or "days" => number * 86_400_000,
            "MiB" => number * 1024 * 1024,
            string unit => throw new InvalidOperationException($"{option}: unknown unit '{unit}'"),
        };
    }

    private static Dictionary<string, Row> ReadRows()
    {
        string? root = AppContext.BaseDirectory;
        while (root is not null && !File.Exists(Path.Combine(root, "PredictiveCaching.sln")))
        {
            root = Path.GetDirectoryName(root);
        }

        Assert.NotNull(root);
        var rows = new Dictionary<string, Row>(StringComparer.Ordinal);
        string? section = null;
        foreach (string line in File.ReadLines(Path.Combine(root, "docs", "configuration.md")))
        {
            Match heading = SectionHeading().Match(line);
            if (heading.Success)
            {
                section = heading.Groups[1].Value;
                continue;
            }

            if (section is null || !line.StartsWith("| `", StringComparison.Ordinal))
            {
                continue;
            }

            string[] cells = line.Split('|');
            string[] names = [.. BacktickedName().Matches(cells[1]).Select(m => m.Groups[1].Value)];
            var row = new Row([.. names.Select(n => n.Replace("<Strategy>:", string.Empty, StringComparison.Ordinal))], cells[2].Trim(), cells[3].Trim());
            foreach (string name in names)
            {
                rows[section + ":" + name] = row;
            }
        }

        return rows;
    }

    [GeneratedRegex(@"^## \w+ \(`PredictiveLoading:(\w+)`\)")]
    private static partial Regex SectionHeading();

    [GeneratedRegex(@"`([^`]+)`")]
    private static partial Regex BacktickedName();

    [GeneratedRegex(@"^([(\[])\s*([^,]+),\s*([^\])]+)[\])]$")]
    private static partial Regex IntervalPattern();

    [GeneratedRegex(@"\([^)]*\)")]
    private static partial Regex Parenthetical();

    [GeneratedRegex(@"^(-?[\d ]*\d(?:\.\d+)?)\s*(ms|s|min|h|days?|MiB)?$")]
    private static partial Regex QuantityPattern();

    [GeneratedRegex(@"\d\s*(ms|s|min|h|days?|MiB)\s*$")]
    private static partial Regex UnitSuffix();

    private sealed record Row(string[] Names, string Default, string Valid);
}
