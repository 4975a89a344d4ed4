using System.Globalization;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Tests.Tracking;

public sealed class AccessTrackerByteBoundTests
{
    private const int LongKeyLength = 2_048;
    private const long Bound = 4L * 1024 * 1024;
    private static readonly long Now = new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero).UtcTicks;

    [Fact]
    public void EntryBytes_ShortAndLongKeys_MatchTheMeasuredLayout()
    {
        // "key:123456": 224 B of statistics and slots + 48 B of string (22 + 20, rounded to 8).
        Assert.Equal(272, AccessTracker.EntryBytes("key:123456"));
        // 2 048 characters: 4 120 B of string; with a successor array of 4 slots, 4 432 B.
        Assert.Equal(4_344, AccessTracker.EntryBytes(new string('k', LongKeyLength)));
        Assert.Equal(48, AccessTracker.ExtrasBytes);
        Assert.Equal(328, AccessTracker.PartnerTableBytes(16));
        Assert.Equal(88, AccessTracker.SuccessorArrayBytes(4));
        Assert.Equal(0, AccessTracker.SuccessorArrayBytes(0));
    }

    [Fact]
    public void RecordRead_LongKeysWithSuccessors_TrackedBytesNeverAboveTheBound()
    {
        AccessTracker sut = Create();
        long maxBytes = 0;
        long now = Now;

        for (int i = 0; i < 5_000; i++)
        {
            // 1 ms apart: every key gets a successor array, the worst case.
            sut.RecordRead(LongKey("cold", i), true, 1, now, out _);
            maxBytes = Math.Max(maxBytes, sut.TrackedBytes);
            now += TimeSpan.TicksPerMillisecond;
        }

        Assert.InRange(maxBytes, Bound - 4_432, Bound);
        Assert.InRange(sut.Count, (int)(Bound / 4_432) - 1, (int)(Bound / 4_344));
        Assert.True(sut.Evictions >= 5_000 - sut.Count);
        Assert.Equal(Bound, sut.ByteCapacity);
    }

    [Fact]
    public void TrackedBytes_WithoutSuccessors_IsTheSumOverTrackedKeys()
    {
        AccessTracker sut = Create();
        long now = Now;

        for (int i = 0; i < 3_000; i++)
        {
            // A minute apart: no successor arrays, so the sum is exact whatever was evicted.
            sut.RecordRead(i % 3 == 0 ? "short:" + i : LongKey("long", i), true, 1, now, out _);
            now += TimeSpan.TicksPerMinute;
        }

        long expected = 0;
        foreach (KeyAccessStatistics entry in sut.EnumerateEntries())
        {
            expected += AccessTracker.EntryBytes(entry.Key);
        }

        Assert.True(sut.Evictions > 0);
        Assert.Equal(expected, sut.TrackedBytes);
    }

    [Fact]
    public void RecordRead_FloodOfLongKeysWithHotKeys_HotKeysKept()
    {
        const int hotKeys = 10;
        const int coldKeys = 50_000;
        const int coldPerHot = 10;
        AccessTracker sut = Create();
        string[] hot = new string[hotKeys];
        for (int i = 0; i < hotKeys; i++)
        {
            hot[i] = LongKey("hot", i);
        }

        long maxBytes = 0;
        int hotIndex = 0;
        long now = Now;
        for (int i = 0; i < coldKeys; i++)
        {
            sut.RecordRead(LongKey("cold", i), true, 1, now, out _);
            if (i % coldPerHot == 0)
            {
                // Each hot key comes round every hotKeys × (coldPerHot + 1) = 110 admissions, within the ~190 keys
                // (20 % of the bytes) that probation holds.
                sut.RecordRead(hot[hotIndex], true, 1, now, out _);
                hotIndex = (hotIndex + 1) % hotKeys;
            }

            maxBytes = Math.Max(maxBytes, sut.TrackedBytes);
            now += TimeSpan.TicksPerMillisecond;
        }

        Assert.True(maxBytes <= Bound, $"{maxBytes} B above the bound");
        Assert.All(hot, key => Assert.True(sut.TryGet(key, out _), key[..8] + " was evicted."));
    }

    [Fact]
    public void RecordRead_ShortKeys_KeyBoundStillTheTighterOne()
    {
        AccessTracker sut = new(new TrackingOptions { MaxTrackedKeys = 1_000 });

        for (int i = 0; i < 5_000; i++)
        {
            sut.RecordRead("key:" + i.ToString(CultureInfo.InvariantCulture), true, 1, Now + i, out _);
        }

        Assert.Equal(1_000, sut.Count);
        Assert.True(sut.TrackedBytes < 1_000 * 400, $"{sut.TrackedBytes} B");
    }

    private static AccessTracker Create() => new(new TrackingOptions { MaxTrackedBytes = Bound });

    private static string LongKey(string prefix, int i)
    {
        string head = prefix + ":" + i.ToString(CultureInfo.InvariantCulture) + ":";
        return head + new string('x', LongKeyLength - head.Length);
    }
}
