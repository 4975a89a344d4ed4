namespace PredictiveCaching.Features;

/// <summary>Conventions shared by the built-in extractors.</summary>
internal static class FeatureValues
{
    /// <summary>Written where a value is unknown, so that trees can split on "unknown" apart from any real value.</summary>
    public const float Unknown = -1f;

    /// <summary>The cap on durations that may be unbounded (time until expiry): one day, in seconds.</summary>
    public const double MaxSeconds = 86_400d;

    public static float Seconds(long ticks) => (float)((double)ticks / TimeSpan.TicksPerSecond);

    /// <summary>Seconds from <paramref name="thenTicks"/> to <paramref name="nowTicks"/>; 0 when the clock went back.</summary>
    public static float SecondsSince(long nowTicks, long thenTicks) => thenTicks >= nowTicks ? 0f : Seconds(nowTicks - thenTicks);

    public static float Known(double value) => double.IsNaN(value) ? Unknown : (float)value;
}
