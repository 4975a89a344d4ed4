using PredictiveCaching.MachineLearning.Training;
using PredictiveCaching.Prediction;

namespace PredictiveCaching.MachineLearning.Tests.Training;

public sealed class CalendarCoverageTests
{
    private static readonly string[] Names = ["hour", "minute", "weekday", "second_of_day", "hour_sin", "hour_cos", "weekday_sin", "weekday_cos", "read_count"];

    [Theory]
    [InlineData(1.5, "minute,hour,second_of_day,hour_sin,hour_cos,weekday,weekday_sin,weekday_cos")]
    [InlineData(3, "hour,second_of_day,hour_sin,hour_cos,weekday,weekday_sin,weekday_cos")]
    [InlineData(72, "weekday,weekday_sin,weekday_cos")]
    [InlineData(24 * 15, "")]
    public void WithUncovered_LeavesOutTheClockFeaturesWhosePeriodTheSamplesDoNotSpanTwice(double hours, string expected)
    {
        IReadOnlyList<DroppedFeature> dropped = CalendarCoverage.WithUncovered([], Names, Spanning(TimeSpan.FromHours(hours)));

        Assert.Equal(expected, string.Join(',', dropped.Select(d => d.Name)));
        Assert.All(dropped, d => Assert.True(double.IsNaN(d.Importance) && double.IsNaN(d.Threshold)));
        Assert.DoesNotContain(dropped, d => d.Name == "read_count");
    }

    [Fact]
    public void WithUncovered_KeepsWhatWasDroppedForImportance_AndDoesNotListAFeatureTwice()
    {
        var byImportance = new DroppedFeature("hour", 0.01, 0.05);

        IReadOnlyList<DroppedFeature> dropped = CalendarCoverage.WithUncovered([byImportance, new DroppedFeature("read_count", 0.02, 0.05)], Names, Spanning(TimeSpan.FromHours(3)));

        Assert.Single(dropped, d => d.Name == "hour");
        Assert.Contains(byImportance, dropped);
        Assert.Contains(dropped, d => d.Name == "read_count");
        Assert.Contains(dropped, d => d.Name == "hour_sin");
    }

    [Fact]
    public void WithUncovered_SchemaWithoutClockFeatures_OrNoSamples_ChangesNothing()
    {
        IReadOnlyList<DroppedFeature> none = [];
        Assert.Same(none, CalendarCoverage.WithUncovered(none, ["read_count"], Spanning(TimeSpan.FromMinutes(5))));
        Assert.Same(none, CalendarCoverage.WithUncovered(none, Names, []));
    }

    private static LabelledSample[] Spanning(TimeSpan span) =>
    [
        new LabelledSample([0f], true, 1f, float.NaN, 1_000),
        new LabelledSample([0f], false, 1f, float.NaN, 1_000 + (span.Ticks / 2)),
        new LabelledSample([0f], false, 1f, float.NaN, 1_000 + span.Ticks),
    ];
}
