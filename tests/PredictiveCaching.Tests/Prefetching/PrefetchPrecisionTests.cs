using PredictiveCaching.Loop.Outcomes;
using PredictiveCaching.Prefetching;

namespace PredictiveCaching.Tests.Prefetching;

public sealed class PrefetchPrecisionTests
{
    [Fact]
    public void ConfidenceAccuracy_BeforeAnyOutcome_IsInitialAccuracy()
    {
        var sut = new PrefetchPrecision(new PrefetchOptions());
        Assert.Equal(0.8, sut.RecentPrecision);
        Assert.True(double.IsNaN(sut.Precision));
    }

    [Fact]
    public void ConfidenceAccuracy_AveragesOnlyTheLatestHundred_PrecisionTheLatestThousand()
    {
        var sut = new PrefetchPrecision(new PrefetchOptions());
        for (int i = 0; i < 900; i++)
        {
            sut.RecordUsed();
        }

        for (int i = 0; i < 100; i++)
        {
            sut.RecordWasted();
        }

        Assert.Equal(0d, sut.RecentPrecision);
        Assert.Equal(0.9, sut.Precision, 12);

        // 500 more used push the oldest 500 used out of the 1 000-outcome window: 900 used of 1 000.
        for (int i = 0; i < 500; i++)
        {
            sut.RecordUsed();
        }

        Assert.Equal(1d, sut.RecentPrecision);
        Assert.Equal(0.9, sut.Precision, 12);
        Assert.Equal(1000, sut.OutcomesInWindow);
    }

    [Fact]
    public void Recall_CountsPrefetchHitsAgainstRepeatMisses()
    {
        var sut = new PrefetchPrecision(new PrefetchOptions());
        sut.RecordUsed();
        sut.RecordUsed();
        sut.RecordUsed();
        sut.RecordRepeatMiss();
        Assert.Equal(0.75, sut.Recall, 12);
    }
}
