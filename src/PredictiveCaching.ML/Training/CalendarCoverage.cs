using PredictiveCaching.Prediction;

namespace PredictiveCaching.MachineLearning.Training;

/// <summary>
/// Leaves a clock feature out of a training whose samples do not span two of its periods: with less than two days of
/// samples, the hour of day cannot show a daily pattern, only the position in the history, and trees that split on it
/// memorise when things happened instead of learning why (on traces shorter than a day this kept a model's precision
/// low at every threshold). Once the samples cover two periods the feature is offered again and its importance decides.
/// </summary>
internal static class CalendarCoverage
{
    private static readonly (string Name, long PeriodTicks)[] s_periods =
    [
        ("minute", TimeSpan.TicksPerHour),
        ("hour", TimeSpan.TicksPerDay),
        ("second_of_day", TimeSpan.TicksPerDay),
        ("hour_sin", TimeSpan.TicksPerDay),
        ("hour_cos", TimeSpan.TicksPerDay),
        ("weekday", 7 * TimeSpan.TicksPerDay),
        ("weekday_sin", 7 * TimeSpan.TicksPerDay),
        ("weekday_cos", 7 * TimeSpan.TicksPerDay),
    ];

    /// <summary>The periods a feature's samples must span before it is trained on.</summary>
    public const int PeriodsNeeded = 2;

    /// <summary>
    /// Returns <paramref name="dropped"/> with every clock feature of <paramref name="featureNames"/> whose period the
    /// samples' time span covers fewer than <see cref="PeriodsNeeded"/> times (importance and threshold NaN: not judged).
    /// </summary>
    public static IReadOnlyList<DroppedFeature> WithUncovered(IReadOnlyList<DroppedFeature> dropped, IReadOnlyList<string> featureNames, IReadOnlyList<LabelledSample> samples)
    {
        if (samples.Count == 0)
        {
            return dropped;
        }

        long first = long.MaxValue, last = long.MinValue;
        foreach (LabelledSample s in samples)
        {
            first = Math.Min(first, s.SampleTicks);
            last = Math.Max(last, s.SampleTicks);
        }

        long span = last - first;
        List<DroppedFeature>? result = null;
        foreach ((string name, long period) in s_periods)
        {
            if (span >= PeriodsNeeded * period || !Contains(featureNames, name) || IsDropped(dropped, name))
            {
                continue;
            }

            result ??= [.. dropped];
            result.Add(new DroppedFeature(name, double.NaN, double.NaN));
        }

        return result ?? dropped;
    }

    private static bool Contains(IReadOnlyList<string> names, string name)
    {
        foreach (string n in names)
        {
            if (string.Equals(n, name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsDropped(IReadOnlyList<DroppedFeature> dropped, string name)
    {
        foreach (DroppedFeature d in dropped)
        {
            if (string.Equals(d.Name, name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
