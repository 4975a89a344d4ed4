using System.Diagnostics;
using System.Globalization;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project benchmarks/PredictiveCaching.Benchmarks -- footprint [keys] [flood] [keyLength]</c>:
/// bytes per tracked key (keys of 10 characters, or padded to <c>keyLength</c>) and the bound under a flood of distinct
/// keys. Not a BenchmarkDotNet benchmark: it measures the managed heap, once.
/// </summary>
internal static class Footprint
{
    public static int Run(string[] args)
    {
        int perKeyCount = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
        int floodCount = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10_000_000;
        int keyLength = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 10;

        Console.WriteLine($"Bytes per tracked key, {perKeyCount:N0} keys of {keyLength:N0} characters, one read each");
        foreach (bool linked in new[] { true, false })
        {
            Measurement m = MeasurePerKey(perKeyCount, linked, keyLength);
            Console.WriteLine(
                $"  {(linked ? "reads within SuccessorGap (every key gets a successor array)" : "reads farther apart than SuccessorGap (no successor arrays)"),-70}" +
                $" tracker {m.TrackerBytesPerKey,6:F1} B/key, key strings {m.KeyBytesPerKey,7:F1} B/key, total {m.TrackerBytesPerKey + m.KeyBytesPerKey,7:F1} B/key" +
                $" (TrackedBytes estimate {m.EstimatedBytesPerKey,7:F1} B/key)");
        }

        Measurement p = MeasurePerKey(perKeyCount, linked: true, keyLength, partners: true);
        Console.WriteLine(
            $"  {"reads within SuccessorGap, and every key has a co-access partner table",-70}" +
            $" tracker {p.TrackerBytesPerKey,6:F1} B/key, key strings {p.KeyBytesPerKey,7:F1} B/key, total {p.TrackerBytesPerKey + p.KeyBytesPerKey,7:F1} B/key" +
            $" (TrackedBytes estimate {p.EstimatedBytesPerKey,7:F1} B/key)");

        Console.WriteLine();
        Flood(floodCount, bound: 100_000, keyLength);
        return 0;
    }

    internal readonly record struct Measurement(double TrackerBytesPerKey, double KeyBytesPerKey, double EstimatedBytesPerKey);

    internal static Measurement MeasurePerKey(int count, bool linked, int keyLength = 10, bool partners = false)
    {
        long beforeKeys = GC.GetTotalMemory(forceFullCollection: true);
        string[] keys = new string[count];
        for (int i = 0; i < count; i++)
        {
            keys[i] = Key(i, keyLength);
        }

        long afterKeys = GC.GetTotalMemory(forceFullCollection: true);
        // The byte bound at its maximum: this measures the per-key cost, not the bound.
        var tracker = new AccessTracker(new TrackingOptions { MaxTrackedKeys = count, MaxTrackedBytes = 64L << 30 });
        long step = linked ? TimeSpan.TicksPerMillisecond : TimeSpan.TicksPerMinute;
        long now = DateTimeOffset.UnixEpoch.UtcTicks;
        for (int i = 0; i < count; i++)
        {
            tracker.RecordRead(keys[i], hit: true, 100, now, out KeyAccessStatistics entry);
            if (partners)
            {
                // The table a key gets when it starts a second co-access episode (empty: its size does not depend on use).
                tracker.AllocatePartners(entry);
            }

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
        return new Measurement((afterTracker - afterKeys) / (double)count, keyBytes, tracker.TrackedBytes / (double)count);
    }

    /// <summary>"key:000123" (10 characters), padded with 'x' to <paramref name="length"/> when that is longer.</summary>
    private static string Key(int i, int length)
    {
        string key = "key:" + i.ToString("D6", CultureInfo.InvariantCulture);
        return key.Length >= length ? key : key + new string('x', length - key.Length);
    }

    private static void Flood(int count, int bound, int keyLength)
    {
        var options = new TrackingOptions { MaxTrackedKeys = bound };
        Console.WriteLine($"{count:N0} distinct one-read keys of {keyLength:N0} characters through MaxTrackedKeys = {bound:N0}, MaxTrackedBytes = {options.MaxTrackedBytes / (1024d * 1024d):F0} MiB");
        var tracker = new AccessTracker(options);
        long now = DateTimeOffset.UnixEpoch.UtcTicks;
        int maxCount = 0;
        int checkpoint = Math.Max(1, count / 10);
        var stopwatch = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            tracker.RecordRead(keyLength <= 10 ? "key:" + i.ToString(CultureInfo.InvariantCulture) : Key(i, keyLength), hit: true, 100, now, out _);
            now += TimeSpan.TicksPerMillisecond;
            maxCount = Math.Max(maxCount, tracker.Count);
            if ((i + 1) % checkpoint == 0)
            {
                long heap = GC.GetTotalMemory(forceFullCollection: true);
                Console.WriteLine(
                    $"  after {i + 1,12:N0}: Count {tracker.Count,8:N0}, max Count {maxCount,8:N0}, evictions {tracker.Evictions,12:N0}, " +
                    $"TrackedBytes {tracker.TrackedBytes / (1024d * 1024d),6:F1} MiB, " +
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
