using System.Globalization;

namespace PredictiveCaching.Replay.Policies;

/// <summary>
/// A policy name with an optional parameter, <c>name@value</c>: the refresh fraction of <c>refresh-ahead</c>, the
/// successor share of <c>successor</c>, the probability threshold (<c>ProbabilityThreshold</c>) of a
/// <c>predictive-*</c> strategy. Sweeps and <c>--refresh-fractions</c> are lists of these.
/// </summary>
internal static class PolicySpec
{
    public static (string Name, double? Parameter) Parse(string spec)
    {
        ArgumentException.ThrowIfNullOrEmpty(spec);
        int at = spec.IndexOf('@', StringComparison.Ordinal);
        if (at < 0)
        {
            return (spec, null);
        }

        string value = spec[(at + 1)..];
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double parameter) || parameter <= 0 || parameter > 1)
        {
            throw new ArgumentException($"'{spec}': the parameter after @ must be a number in (0, 1]");
        }

        return (spec[..at], parameter);
    }

    public static string Format(string name, double? parameter) =>
        parameter is { } value ? string.Create(CultureInfo.InvariantCulture, $"{name}@{value:0.###}") : name;
}
