using System.Globalization;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Tests.Tracking;

/// <summary>GC.GetTotalMemory is process-wide, so nothing else may run while these measure.</summary>
[CollectionDefinition(nameof(MemoryMeasurement), DisableParallelization = true)]
public sealed class MemoryMeasurement;

[Collection(nameof(MemoryMeasurement))]
public sealed class AccessTrackerFootprintTests
{
    // Measured 308 B/key on .NET 10 x64 with a successor array on every key (220 B without): the statistics object
    // (136 B), its ConcurrentDictionary node (48 B), bucket and probation-queue slots (~36 B at a million keys), and the
    // lazily allocated successor array (24 B header + 4 × 16 B slots = 88 B). 340 B leaves ~10 % for a dictionary that
    // has just doubled its buckets or a runtime with a different layout, and fails if four more 8-byte fields or an
    // allocation per key are added. The "benchmarks -- footprint" command prints the same figures.
    private const double MaxTrackerBytesPerKey = 340;
    private const int KeyCount = 1_000_000;

    [Fact]
    public void RecordRead_MillionKeysWithSuccessors_UnderBytesPerKeyBound()
    {
        long beforeKeys = GC.GetTotalMemory(forceFullCollection: true);
        string[] keys = new string[KeyCount];
        for (int i = 0; i < KeyCount; i++)
        {
            keys[i] = "key:" + i.ToString("D6", CultureInfo.InvariantCulture);
        }

        long afterKeys = GC.GetTotalMemory(forceFullCollection: true);
        // The byte bound at its maximum: this measures the per-key cost, not the bound.
        var tracker = new AccessTracker(new TrackingOptions { MaxTrackedKeys = KeyCount, MaxTrackedBytes = 64L << 30 });
        long now = DateTimeOffset.UnixEpoch.UtcTicks;
        for (int i = 0; i < KeyCount; i++)
        {
            // 1 ms apart: within SuccessorGap, so every key but the last gets its successor array (the worst case).
            tracker.RecordRead(keys[i], hit: true, 100, now, out _);
            now += TimeSpan.TicksPerMillisecond;
        }

        long afterTracker = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(keys);

        double trackerBytesPerKey = (afterTracker - afterKeys) / (double)KeyCount;
        double keyBytesPerKey = (afterKeys - beforeKeys - ((long)IntPtr.Size * KeyCount)) / (double)KeyCount;
        Assert.Equal(KeyCount, tracker.Count);
        Assert.InRange(trackerBytesPerKey, 100, MaxTrackerBytesPerKey);
        // "key:123456": 20 B of chars + 22 B of string header and terminator, rounded to 48 B.
        Assert.InRange(keyBytesPerKey, 40, 56);
    }

    [Fact]
    public void TrackedBytes_LongKeysWithSuccessors_WithinTenPercentOfTheMeasuredHeap()
    {
        const int count = 20_000;
        long before = GC.GetTotalMemory(forceFullCollection: true);
        var tracker = new AccessTracker(new TrackingOptions { MaxTrackedKeys = count, MaxTrackedBytes = 64L << 30 });
        long now = DateTimeOffset.UnixEpoch.UtcTicks;
        for (int i = 0; i < count; i++)
        {
            // Built here and held only by the tracker, so the measured heap counts key strings as TrackedBytes does.
            string head = "key:" + i.ToString("D6", CultureInfo.InvariantCulture) + ":";
            tracker.RecordRead(head + new string('x', 2_048 - head.Length), hit: true, 100, now, out _);
            now += TimeSpan.TicksPerMillisecond;
        }

        long after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(tracker);

        Assert.Equal(count, tracker.Count);
        double measured = (after - before) / (double)count;
        double estimated = tracker.TrackedBytes / (double)count;
        Assert.InRange(estimated, measured * 0.9, measured * 1.1);
    }
}
