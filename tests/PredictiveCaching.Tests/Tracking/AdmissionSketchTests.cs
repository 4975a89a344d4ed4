using PredictiveCaching.Tracking;

namespace PredictiveCaching.Tests.Tracking;

/// <summary>The admission doorkeeper's count-min sketch: second-read admission, aging, size and false admissions.</summary>
public sealed class AdmissionSketchTests
{
    [Fact]
    public void RecordRead_SecondRead_Admits()
    {
        var sut = new AdmissionSketch(words: 1024, admissionReads: 2);

        Assert.False(sut.RecordRead("page:1"));
        Assert.True(sut.RecordRead("page:1"));
    }

    [Fact]
    public void RecordRead_ThreeReadsRequired_AdmitsTheThird()
    {
        var sut = new AdmissionSketch(words: 1024, admissionReads: 3);

        Assert.False(sut.RecordRead("page:1"));
        Assert.False(sut.RecordRead("page:1"));
        Assert.True(sut.RecordRead("page:1"));
    }

    [Fact]
    public void RecordRead_AfterOnePeriod_StillRemembered_AfterTwo_Forgotten()
    {
        var sut = new AdmissionSketch(words: 1024, admissionReads: 2);
        Assert.False(sut.RecordRead("page:1"));

        // Other keys' reads: one full period later the count is halved once, still there.
        int other = 0;
        for (int i = 0; i < sut.SamplePeriod; i++)
        {
            sut.RecordRead("other:" + other++);
        }

        Assert.True(sut.WasRead("page:1"));

        for (int i = 0; i < sut.SamplePeriod; i++)
        {
            sut.RecordRead("other:" + other++);
        }

        Assert.False(sut.WasRead("page:1"));
        Assert.False(sut.RecordRead("page:1"));
    }

    [Fact]
    public void Expect_KeyNeverRead_AdmitsItsFirstRead()
    {
        var sut = new AdmissionSketch(words: 1024, admissionReads: 3);

        sut.Expect("asset:1");

        Assert.True(sut.RecordRead("asset:1"));
    }

    [Fact]
    public void RecordRead_MillionDistinctKeys_FewerThanOneInTwoHundredAdmitted()
    {
        // The default bound's size: 100 000 words, halved every 50 000 reads.
        var sut = new AdmissionSketch(words: 100_000, admissionReads: 2);
        int admitted = 0;
        for (int i = 0; i < 1_000_000; i++)
        {
            admitted += sut.RecordRead("key:" + i) ? 1 : 0;
        }

        Assert.Equal(800_000, sut.Bytes);
        Assert.InRange(admitted, 0, 5_000);
    }

    [Fact]
    public void Hash_IsTheSameInEveryProcess()
    {
        // Replays must repeat run to run: the sketch's hash may not depend on per-process string hash randomisation.
        Assert.Equal(AdmissionSketch.Hash("product:12345"), AdmissionSketch.Hash(new string("product:12345".AsSpan())));
        Assert.NotEqual(AdmissionSketch.Hash("product:12345"), AdmissionSketch.Hash("product:12346"));
        Assert.NotEqual(AdmissionSketch.Hash("ab"), AdmissionSketch.Hash("ba"));
    }

    [Theory]
    [InlineData(100_000, 64L << 20, 100_000)]
    [InlineData(100_000_000, 64L << 20, 262_144)]
    [InlineData(16, 1L << 20, 16)]
    public void AdmissionSketchWords_FromTheBound(int maxKeys, long maxBytes, int expected)
    {
        var options = new TrackingOptions { MaxTrackedKeys = maxKeys, MaxTrackedBytes = maxBytes };

        Assert.Equal(expected, AccessTracker.AdmissionSketchWords(options));
    }
}
