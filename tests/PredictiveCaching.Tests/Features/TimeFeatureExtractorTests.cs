using PredictiveCaching.Features;

namespace PredictiveCaching.Tests.Features;

public sealed class TimeFeatureExtractorTests
{
    [Fact]
    public void FeatureNames_Always_StableOrder()
    {
        Assert.Equal(
            ["hour", "minute", "weekday", "second_of_day", "hour_sin", "hour_cos", "weekday_sin", "weekday_cos"],
            new TimeFeatureExtractor().FeatureNames);
    }

    [Fact]
    public void Extract_MondayMorning_WritesUtcCalendarAndCycles()
    {
        long now = new DateTime(2026, 3, 2, 8, 30, 15, DateTimeKind.Utc).Ticks;
        float[] values = Extract(now);

        double dayFraction = 30_615d / 86_400d;
        Assert.Equal(8f, values[0]);
        Assert.Equal(30f, values[1]);
        Assert.Equal(0f, values[2]);
        Assert.Equal(30_615f, values[3]);
        Assert.Equal(Math.Sin(2 * Math.PI * dayFraction), values[4], 5);
        Assert.Equal(Math.Cos(2 * Math.PI * dayFraction), values[5], 5);
        Assert.Equal(Math.Sin(2 * Math.PI * dayFraction / 7), values[6], 5);
        Assert.Equal(Math.Cos(2 * Math.PI * dayFraction / 7), values[7], 5);
    }

    [Fact]
    public void Extract_SundayLastSecond_WeekdaySixAndCyclesNearStart()
    {
        float[] values = Extract(new DateTime(2026, 3, 8, 23, 59, 59, DateTimeKind.Utc).Ticks);

        Assert.Equal(23f, values[0]);
        Assert.Equal(59f, values[1]);
        Assert.Equal(6f, values[2]);
        Assert.Equal(86_399f, values[3]);
        Assert.Equal(0d, values[4], 3);
        Assert.Equal(1d, values[5], 3);
        Assert.Equal(0d, values[6], 3);
        Assert.Equal(1d, values[7], 3);
    }

    private static float[] Extract(long now)
    {
        var values = new float[8];
        new TimeFeatureExtractor().Extract(FeatureTestData.CreateContext(null, now: now), values);
        return values;
    }
}
