using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;

namespace PredictiveCaching.Testing;

/// <summary>A row of an option table in docs/configuration.md: the options it names and its "default" and "valid" cells.</summary>
/// <param name="Names">The option names of the row (several for a row such as <c>`A` / `B`</c>).</param>
/// <param name="Default">The "default" cell.</param>
/// <param name="Valid">The "valid" cell.</param>
public sealed record ConfigurationRow(string[] Names, string Default, string Valid);

/// <summary>A range as numbers: durations in milliseconds, an open upper end as infinity.</summary>
/// <param name="Min">The lower bound.</param>
/// <param name="Max">The upper bound.</param>
/// <param name="MinExclusive">Whether the lower bound is excluded.</param>
/// <param name="MaxExclusive">Whether the upper bound is excluded.</param>
public readonly record struct NumericRange(double Min, double Max, bool MinExclusive, bool MaxExclusive);

/// <summary>
/// Reads docs/configuration.md and the range attributes of an options type, so each package's tests can hold its
/// option table to the one source of each range: the attribute on the property and the default in code.
/// </summary>
/// <remarks>
/// The attributes are found by name (<c>OptionRangeAttribute</c>, a <see cref="RangeAttribute"/>, and
/// <c>DurationRangeAttribute</c>), not by type: each package compiles its own internal copy of them.
/// </remarks>
public static partial class ConfigurationReference
{
    private static readonly Lazy<Dictionary<string, ConfigurationRow>> s_rows = new(ReadRows);

    /// <summary>Gets every row of docs/configuration.md, keyed <c>Section:Option</c> (a strategy's option as <c>Strategies:&lt;Strategy&gt;:Option</c>).</summary>
    public static IReadOnlyDictionary<string, ConfigurationRow> Rows => s_rows.Value;

    /// <summary>
    /// Checks the table of one section against an options type: every ranged property has a row stating its attribute's
    /// range and its default, and every row stating a range belongs to a ranged property. A bound named by another
    /// option (<c>0 s – `RetrainingInterval`</c>) is that option's upper bound.
    /// </summary>
    /// <param name="section">The section, as its heading names it (<c>MachineLearning</c> for <c>PredictiveLoading:MachineLearning</c>).</param>
    /// <param name="optionsType">The options type, with a parameterless constructor.</param>
    /// <returns>One message per disagreement; none when the table agrees.</returns>
    public static IReadOnlyList<string> Mismatches(string section, Type optionsType)
    {
        ArgumentNullException.ThrowIfNull(optionsType);
        var mismatches = new List<string>();
        object defaults = Activator.CreateInstance(optionsType)!;
        var ranged = new HashSet<string>(StringComparer.Ordinal);
        foreach (PropertyInfo property in Ranged(optionsType))
        {
            string option = section + ":" + property.Name;
            ranged.Add(option);
            if (!Rows.TryGetValue(option, out ConfigurationRow? row))
            {
                mismatches.Add($"docs/configuration.md has no row for {option}");
                continue;
            }

            NumericRange expected = RangeOf(property);
            NumericRange stated = ParseRange(row.Valid, other => RangeOf(optionsType.GetProperty(other) ?? throw new FormatException($"{option}: no option {other}")).Max);
            if (expected != stated)
            {
                mismatches.Add($"{option}: the attribute says {expected}, docs/configuration.md says '{row.Valid}' = {stated}");
            }

            double? value = Number(property.GetValue(defaults));
            if (value is null ? !row.Default.StartsWith("unset", StringComparison.Ordinal) : ParseDefaults(row.Default, 1)[0] != value)
            {
                mismatches.Add($"{option}: default {value?.ToString(CultureInfo.InvariantCulture) ?? "unset"}, docs/configuration.md says '{row.Default}'");
            }
        }

        foreach ((string option, ConfigurationRow row) in Rows)
        {
            if (option.StartsWith(section + ":", StringComparison.Ordinal) && IsRange(row.Valid) && !ranged.Contains(option))
            {
                mismatches.Add($"{option}: docs/configuration.md states the range '{row.Valid}', but no attribute declares one");
            }
        }

        return mismatches;
    }

    /// <summary>Returns the properties of <paramref name="type"/> that declare a range.</summary>
    /// <param name="type">An options type.</param>
    /// <returns>The ranged properties.</returns>
    public static IEnumerable<PropertyInfo> Ranged(Type type) =>
        type.GetProperties().Where(p => RangeAttributeOf(p) is not null);

    /// <summary>Returns the range the attribute on <paramref name="property"/> declares.</summary>
    /// <param name="property">A ranged property.</param>
    /// <returns>The range.</returns>
    public static NumericRange RangeOf(PropertyInfo property)
    {
        ValidationAttribute attribute = RangeAttributeOf(property) ?? throw new ArgumentException($"{property.Name} declares no range", nameof(property));
        if (attribute is RangeAttribute range)
        {
            bool unbounded = (bool)(attribute.GetType().GetProperty("Unbounded")?.GetValue(attribute) ?? false);
            return new NumericRange((double)range.Minimum, unbounded ? double.PositiveInfinity : (double)range.Maximum, range.MinimumIsExclusive, range.MaximumIsExclusive);
        }

        var minimum = (TimeSpan)attribute.GetType().GetProperty("Minimum")!.GetValue(attribute)!;
        var maximum = (TimeSpan)attribute.GetType().GetProperty("Maximum")!.GetValue(attribute)!;
        return new NumericRange(minimum.TotalMilliseconds, maximum.TotalMilliseconds, false, false);
    }

    /// <summary>Returns a default or a bound as a number: a duration in milliseconds, <see langword="null"/> for unset.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The number.</returns>
    public static double? Number(object? value) => value switch
    {
        null => null,
        TimeSpan span => span.TotalMilliseconds,
        _ => Convert.ToDouble(value, CultureInfo.InvariantCulture),
    };

    /// <summary>Returns whether a "valid" cell states a numeric range.</summary>
    /// <param name="cell">The cell.</param>
    /// <returns><see langword="true"/> for a range.</returns>
    public static bool IsRange(string cell) =>
        cell.Contains('–', StringComparison.Ordinal) || cell.StartsWith('≥') || cell.StartsWith('(') || cell.StartsWith('[');

    /// <summary>
    /// Reads a "valid" cell: <c>(0, 1]</c>, <c>[0, 1)</c>, <c>≥ 1</c>, <c>16 – 100 000 000</c>, <c>1 s – 1 day</c>,
    /// <c>1 048 576 (1 MiB) – 68 719 476 736 (64 GiB)</c>, or <c>1 – `MaxConcurrency`</c> (a bound set by another option).
    /// </summary>
    /// <param name="cell">The cell.</param>
    /// <param name="boundOf">The upper bound of the range of the option a backticked bound names.</param>
    /// <returns>The range.</returns>
    public static NumericRange ParseRange(string cell, Func<string, double> boundOf)
    {
        ArgumentNullException.ThrowIfNull(cell);
        Match interval = IntervalPattern().Match(cell);
        if (interval.Success)
        {
            return new NumericRange(Quantity(interval.Groups[2].Value, boundOf), Quantity(interval.Groups[3].Value, boundOf), interval.Groups[1].Value == "(", interval.Groups[4].Value == ")");
        }

        if (cell.StartsWith('≥'))
        {
            return new NumericRange(Quantity(cell[1..], boundOf), double.PositiveInfinity, false, false);
        }

        string[] ends = Parenthetical().Replace(cell, string.Empty).Split('–');
        if (ends.Length != 2)
        {
            throw new FormatException($"cannot read the range '{cell}'");
        }

        return new NumericRange(Quantity(ends[0], boundOf), Quantity(ends[1], boundOf), false, false);
    }

    /// <summary>Reads a "default" cell of <paramref name="count"/> values (<c>0.5 / 0.7 / 0.9</c>, <c>600 / 300 / 120 s</c>).</summary>
    /// <param name="cell">The cell.</param>
    /// <param name="count">How many values it states.</param>
    /// <returns>The values.</returns>
    public static double[] ParseDefaults(string cell, int count)
    {
        ArgumentNullException.ThrowIfNull(cell);
        string plain = Parenthetical().Replace(cell, string.Empty);
        Match unit = UnitSuffix().Match(plain);
        string[] values = plain.Split('/');
        if (values.Length != count)
        {
            throw new FormatException($"'{cell}' does not state {count} default(s)");
        }

        return [.. values.Select(v => Quantity(unit.Success && !UnitSuffix().IsMatch(v) ? v + " " + unit.Groups[1].Value : v, static _ => throw new FormatException("a default is a number")))];
    }

    private static ValidationAttribute? RangeAttributeOf(PropertyInfo property) =>
        property.GetCustomAttributes<ValidationAttribute>().FirstOrDefault(a => a.GetType().Name is "OptionRangeAttribute" or "DurationRangeAttribute");

    // A number with optional digit-group spaces and a unit, or a backticked option whose range bound it is.
    private static double Quantity(string text, Func<string, double> boundOf)
    {
        text = text.Trim();
        if (text.StartsWith('`'))
        {
            return boundOf(text.Trim('`'));
        }

        Match match = QuantityPattern().Match(text);
        if (!match.Success)
        {
            throw new FormatException($"cannot read '{text}'");
        }

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
            string unit => throw new FormatException($"unknown unit '{unit}'"),
        };
    }

    private static Dictionary<string, ConfigurationRow> ReadRows()
    {
        var rows = new Dictionary<string, ConfigurationRow>(StringComparer.Ordinal);
        string? section = null;
        foreach (string line in File.ReadLines(RepositoryFiles.PathOf(Path.Combine("docs", "configuration.md"))))
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
            var row = new ConfigurationRow([.. names.Select(n => n.Replace("<Strategy>:", string.Empty, StringComparison.Ordinal))], cells[2].Trim(), cells[3].Trim());
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

    [GeneratedRegex(@"^([(\[])\s*([^,]+),\s*([^\])]+)([\])])$")]
    private static partial Regex IntervalPattern();

    [GeneratedRegex(@"\([^)]*\)")]
    private static partial Regex Parenthetical();

    [GeneratedRegex(@"^(-?[\d ]*\d(?:\.\d+)?)\s*(ms|s|min|h|days?|MiB)?$")]
    private static partial Regex QuantityPattern();

    [GeneratedRegex(@"\d\s*(ms|s|min|h|days?|MiB)\s*$")]
    private static partial Regex UnitSuffix();
}
