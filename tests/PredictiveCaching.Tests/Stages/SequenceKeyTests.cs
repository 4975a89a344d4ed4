using PredictiveCaching.Loop.Candidates;
using PredictiveCaching.Tests.Fakes;

namespace PredictiveCaching.Tests.Stages;

public sealed class SequenceKeyTests
{
    [Theory]
    [InlineData("page:41", 1, "page:42")]
    [InlineData("page:41", -1, "page:40")]
    [InlineData("page:9", 1, "page:10")]
    [InlineData("chunk-0007", 1, "chunk-0008")]
    [InlineData("chunk-0099", 1, "chunk-0100")]
    [InlineData("chunk-0999", 1, "chunk-1000")]
    [InlineData("chunk-9999", 1, "chunk-10000")]
    [InlineData("v10", -2, "v8")]
    public void TryFormatWithOffset_NamesTheNeighbour_KeepingZeroPadding(string key, int offset, string expected)
    {
        Assert.True(SequenceKey.TryParse(key, out SequenceKey sequence));
        Span<char> buffer = stackalloc char[32];

        Assert.True(sequence.TryFormatWithOffset(offset, buffer, out int written));
        Assert.Equal(expected, buffer[..written].ToString());
    }

    [Fact]
    public void TryFormatWithOffset_BelowZero_OrTooSmallABuffer_IsFalse()
    {
        Assert.True(SequenceKey.TryParse("page:1", out SequenceKey sequence));

        Assert.False(sequence.TryFormatWithOffset(-2, new char[32], out _));
        Assert.False(sequence.TryFormatWithOffset(1, new char[5], out _));
    }

    [Theory]
    [InlineData("page")]
    [InlineData("42")]
    [InlineData("n1234567890123456789")]
    public void TryParse_NoPrefixOrNoNumberOrTooManyDigits_IsFalse(string key) =>
        Assert.False(SequenceKey.TryParse(key, out _));

    [Fact]
    public void SequenceCandidates_NeighbourLookups_AllocateNothingForAReadThatProposesNothing()
    {
        var tracker = new PredictiveCaching.Tracking.AccessTracker(new PredictiveCaching.Tracking.TrackingOptions());
        var source = new SequenceCandidates(tracker, TimeSpan.TicksPerSecond);
        var reads = new CycleReads();
        var recent = new PredictiveCaching.Tracking.RecentReads();
        var output = new List<Candidate>();
        tracker.RecordRead("page:41", hit: true, 10, 0, out PredictiveCaching.Tracking.KeyAccessStatistics entry);
        tracker.RecordRead("page:40", hit: true, 10, 0, out _);
        recent.Add(entry, 0);
        reads.DrainFrom(recent);
        source.Collect(reads, 0, output);

        Assert.Equal(0, Allocations.Fewest(() =>
        {
            for (int i = 0; i < 100; i++)
            {
                source.Collect(reads, 0, output);
            }
        }));
        Assert.Empty(output);
    }
}
