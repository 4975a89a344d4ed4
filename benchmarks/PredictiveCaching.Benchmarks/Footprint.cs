using System.Diagnostics;
using System.Globalization;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project benchmarks/PredictiveCaching.Benchmarks -- footprint</c>: bytes per tracked key
/// and the bound under a flood of distinct keys. Not a BenchmarkDotNet benchmark: it measures the managed heap, once.
/// </summary>
internal static class Footprint
{
    public static int Run(string[] args)
    {
        int perKeyCount = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
        int floodCount = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10_000_000;

        Console.WriteLine($"Bytes per tracked key, {perKeyCount:N0} keys, one read each");
        foreach (bool linked in new[] { true, false })
        {
            Measurement m = MeasurePerKey(perKeyCount, linked);
            Console.WriteLine(
                $"  {(linked ? "reads within SuccessorGap (every key gets a successor array)" : "reads farther apart than SuccessorGap (no successor arrays)"),-70}" +
                $" tracker {m.TrackerBytesPerKey,6:F1} B/key, key strings {m.KeyBytesPerKey,5:F1} B/key, total {m.TrackerBytesPerKey + m.KeyBytesPerKey,6:F1} B/key");
        }

        Console.WriteLine();
        Flood(floodCount, bound: 100_000);
        return 0;
    }

    internal readonly record struct Measurement(double TrackerBytesPerKey, double KeyBytesPerKey);

    internal static Measurement MeasurePerKey(int count, bool linked)
    {
        long beforeKeys = GC.GetTotalMemory(forceFullCollection: true);
        string[] keys = new string[count];
        for (int i = 0; i < count; i++)
        {
            keys[i] = "key:" + i.ToString("D6", CultureInfo.InvariantCulture);
        }

        long afterKeys = GC.GetTotalMemory(forceFullCollection: true);
        var tracker = new AccessTracker(new TrackingOptions { MaxTrackedKeys = count });
        long step = linked ? TimeSpan.TicksPerMillisecond : TimeSpan.TicksPerMinute;
        long now = DateTimeOffset.UnixEpoch.UtcTicks;
        for (int i = 0; i < count; i++)
        {
            tracker.RecordRead(keys[i], hit: true, 100, now, out _);
            now += step;
        }

        long afterTracker = GC.GetTotalMemory(forceFullCollection: true);
        if (tracker.Count != count)
        {
            throw new InvalidOperationException($"Expected {count} tracked keys, found {tracker.Count}.");
        }

        GC.KeepAlive(tracker);
        GC.KeepAlive(keys);
        // The string[] holding the keys is part of the "before tracker" snapshot, not of either figure per key.
        double keyBytes = (afterKeys - beforeKeys - ((long)IntPtr.Size * count)) / (double)count;
        return new Measurement((afterTracker - afterKeys) / (double)count, keyBytes);
    }

    private static void Flood(int count, int bound)
    {
        Console.WriteLine($"{count:N0} distinct one-read keys through MaxTrackedKeys = {bound:N0}");
        var tracker = new AccessTracker(new TrackingOptions { MaxTrackedKeys = bound });
        long now = DateTimeOffset.UnixEpoch.UtcTicks;
        int maxCount = 0;
        int checkpoint = Math.Max(1, count / 10);
        var stopwatch = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            tracker.RecordRead("key:" + i.ToString(CultureInfo.InvariantCulture), hit: true, 100, now, out _);
            now += TimeSpan.TicksPerMillisecond;
            maxCount = Math.Max(maxCount, tracker.Count);
            if ((i + 1) % checkpoint == 0)
            {
                long heap = GC.GetTotalMemory(forceFullCollection: true);
                Console.WriteLine(
                    $"  after {i + 1,12:N0}: Count {tracker.Count,8:N0}, max Count {maxCount,8:N0}, evictions {tracker.Evictions,12:N0}, " +
                    $"heap {heap / (1024d * 1024d),7:F1} MiB, elapsed {stopwatch.Elapsed.TotalSeconds,6:F1} s");
            }
        }

        Console.WriteLine($"  done in {stopwatch.Elapsed.TotalSeconds:F1} s (including 10 full GCs for the heap figures); max Count {maxCount:N0} (bound {bound:N0})");
        if (maxCount > bound)
        {
            throw new InvalidOperationException($"Count reached {maxCount}, above the bound {bound}.");
        }

        GC.KeepAlive(tracker);
    }
}
