using PredictiveCaching.Tests.Features;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Tests.Tracking;

public sealed class KeyAccessStatisticsSnapshotTests
{
    [Fact]
    public void Snapshot_WorkedExample_MatchesPublicProperties()
    {
        KeyAccessStatistics statistics = FeatureTestData.CreateStatistics(prefetched: true);

        KeyAccessSnapshot snapshot = statistics.Snapshot();

        Assert.Equal(statistics.ReadCount, snapshot.ReadCount);
        Assert.Equal(statistics.HitCount, snapshot.HitCount);
        Assert.Equal(statistics.FirstReadTicks, snapshot.FirstReadTicks);
        Assert.Equal(statistics.LastReadTicks, snapshot.LastReadTicks);
        Assert.Equal(statistics.MeanIntervalSeconds, snapshot.MeanIntervalSeconds);
        Assert.Equal(statistics.IntervalVariance, snapshot.IntervalVariance);
        Assert.Equal(statistics.IntervalStandardDeviation, snapshot.IntervalStandardDeviation);
        Assert.Equal(statistics.LastSize, snapshot.LastSize);
        Assert.Equal(statistics.ExpectedExpiryTicks, snapshot.ExpectedExpiryTicks);
        Assert.Equal(statistics.IsPresent, snapshot.IsPresent);
        Assert.Equal(statistics.LastReadWasHit, snapshot.LastReadWasHit);
        Assert.Equal(statistics.IsPrefetchedCopy, snapshot.IsPrefetchedCopy);
        Assert.Equal(statistics.PrefetchedCopyRead, snapshot.PrefetchedCopyRead);
        Assert.Equal(statistics.WriteVersion, snapshot.WriteVersion);
        Assert.Equal(statistics.LastAccessTicks, snapshot.LastAccessTicks);
    }

    [Fact]
    public void Snapshot_WorkedExample_ExpectedValues()
    {
        KeyAccessSnapshot snapshot = FeatureTestData.CreateStatistics().Snapshot();

        Assert.Equal(3, snapshot.ReadCount);
        Assert.Equal(2, snapshot.HitCount);
        Assert.Equal(22.5, snapshot.MeanIntervalSeconds, 9);
        Assert.Equal(112.5, snapshot.IntervalVariance, 9);
        Assert.Equal(FeatureTestData.T0 + TimeSpan.FromSeconds(605).Ticks, snapshot.ExpectedExpiryTicks);
        Assert.True(snapshot.IsExpectedPresentAt(FeatureTestData.Now));
        Assert.False(snapshot.IsExpectedPresentAt(FeatureTestData.T0 + TimeSpan.FromSeconds(605).Ticks));
    }

    [Fact]
    public void NewSnapshot_DescribesAKeyWithNoReadsUnknownSizeAndNoCopy()
    {
        var snapshot = new KeyAccessSnapshot();

        Assert.Equal(0, snapshot.ReadCount);
        Assert.Equal(-1, snapshot.LastSize);
        Assert.Equal(long.MaxValue, snapshot.ExpectedExpiryTicks);
        Assert.False(snapshot.IsPresent);
        Assert.False(snapshot.IsExpectedPresentAt(FeatureTestData.Now));
    }

    [Fact]
    public void Snapshot_IsACopy_LaterReadsDoNotChangeIt()
    {
        KeyAccessStatistics statistics = FeatureTestData.CreateStatistics();
        KeyAccessSnapshot before = statistics.Snapshot();

        statistics.RecordRead(hit: true, size: 1, FeatureTestData.Now);

        Assert.Equal(before.ReadCount + 1, statistics.ReadCount);
        Assert.Equal(3, before.ReadCount);
    }
}
