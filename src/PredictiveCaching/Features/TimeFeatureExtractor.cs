using PredictiveCaching.Prediction;

namespace PredictiveCaching.Features;

/// <summary>
/// When the candidate is scored, in UTC: hour, minute, weekday (Monday 0 … Sunday 6), second of the day, and the time
/// of day and of the week on a circle (sin/cos), so that 23:59 sits next to 00:00 and Sunday next to Monday.
/// </summary>
internal sealed class TimeFeatureExtractor : IFeatureExtractor
{
    private static readonly string[] s_names =
        ["hour", "minute", "weekday", "second_of_day", "hour_sin", "hour_cos", "weekday_sin", "weekday_cos"];

    public IReadOnlyList<string> FeatureNames => s_names;

    public void Extract(in PredictionContext context, Span<float> destination)
    {
        _ = destination[7];
        long ticks = context.NowTicks;
        long ticksOfDay = ticks % TimeSpan.TicksPerDay;
        long secondOfDay = ticksOfDay / TimeSpan.TicksPerSecond;

        // 0001-01-01, tick 0, was a Monday.
        long weekday = ticks / TimeSpan.TicksPerDay % 7;
        double dayFraction = (double)ticksOfDay / TimeSpan.TicksPerDay;
        (double hourSin, double hourCos) = Math.SinCos(2d * Math.PI * dayFraction);
        (double weekSin, double weekCos) = Math.SinCos(2d * Math.PI * (weekday + dayFraction) / 7d);

        destination[0] = secondOfDay / 3600;
        destination[1] = secondOfDay / 60 % 60;
        destination[2] = weekday;
        destination[3] = secondOfDay;
        destination[4] = (float)hourSin;
        destination[5] = (float)hourCos;
        destination[6] = (float)weekSin;
        destination[7] = (float)weekCos;
    }
}
