using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Caching.Distributed;

namespace PredictiveCaching.Benchmarks;

/// <summary>
/// <c>readpath [rounds]</c>: the decorator's hit against the raw MemoryDistributedCache measured in alternating rounds in
/// one process (not BenchmarkDotNet), so that both sides of each ratio see the same load. On a busy shared machine
/// BenchmarkDotNet measures the two benchmarks a minute apart, in separate processes, and the load changes in between:
/// the same code then scatters from 1.3x to 2.2x. Here each round times a block of raw calls and a block of decorated
/// calls back to back (in turns, which goes first), and the median over rounds of the per-round ratio is printed,
/// with the median times. Single-threaded: a hot key (Get and GetAsync) and Zipf reads over 10,000 keys (Get).
/// </summary>
internal static class ReadPathComparison
{
    private const int CallsPerBlock = 160_000;

    public static int Run(string[] args)
    {
        int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 31;
        using var caches = new DecoratedMemoryCache();
        IDistributedCache decorated = caches.Decorated;
        IDistributedCache raw = caches.Raw;

        var keys = new string[ContendedReadBenchmarks.KeyCount];
        var options = new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromHours(1) };
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = "product:" + i;
            decorated.Set(keys[i], new byte[256], options);
            decorated.Get(keys[i]);
        }

        string[] hot = new string[CallsPerBlock];
        Array.Fill(hot, keys[0]);
        string[] zipf = ZipfSequence(keys, CallsPerBlock);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rounds} rounds of {CallsPerBlock:N0} calls a side, {Environment.ProcessorCount} logical CPUs, load average {LoadAverage()}"));
        Report("Get, hot key", raw, decorated, hot, async: false, rounds);
        Report("GetAsync, hot key", raw, decorated, hot, async: true, rounds);
        Report("Get, Zipf over 10,000 keys", raw, decorated, zipf, async: false, rounds);
        return 0;
    }

    /// <summary>The median decorated ÷ raw ratio of a hot-key hit over 31 alternating rounds (the CI guard's second look).</summary>
    public static double HotKeyRatio(bool async)
    {
        using var caches = new DecoratedMemoryCache();
        caches.Decorated.Set("product:0", new byte[256], new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromHours(1) });
        string[] hot = new string[CallsPerBlock];
        Array.Fill(hot, "product:0");
        return Measure(caches.Raw, caches.Decorated, hot, async, 31).Ratio;
    }

    private static void Report(string name, IDistributedCache raw, IDistributedCache decorated, string[] keys, bool async, int rounds)
    {
        (double rawNs, double decoratedNs, double ratio, double low, double high) = Measure(raw, decorated, keys, async, rounds);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{name,-28} raw {rawNs,6:0.0} ns  decorated {decoratedNs,6:0.0} ns  ratio {ratio:0.00} (rounds' quartiles {low:0.00}-{high:0.00})"));
    }

    private static (double Raw, double Decorated, double Ratio, double Low, double High) Measure(IDistributedCache raw, IDistributedCache decorated, string[] keys, bool async, int rounds)
    {
        for (int i = 0; i < 5; i++)
        {
            Time(raw, keys, async);
            Time(decorated, keys, async);
        }

        var rawTimes = new double[rounds];
        var decoratedTimes = new double[rounds];
        var ratios = new double[rounds];
        for (int round = 0; round < rounds; round++)
        {
            if (round % 2 == 0)
            {
                rawTimes[round] = Time(raw, keys, async);
                decoratedTimes[round] = Time(decorated, keys, async);
            }
            else
            {
                decoratedTimes[round] = Time(decorated, keys, async);
                rawTimes[round] = Time(raw, keys, async);
            }

            ratios[round] = decoratedTimes[round] / rawTimes[round];
        }

        return (Median(rawTimes), Median(decoratedTimes), Median(ratios), Quantile(ratios, 0.25), Quantile(ratios, 0.75));
    }

    private static double Time(IDistributedCache cache, string[] keys, bool async)
    {
        long start = Stopwatch.GetTimestamp();
        if (async)
        {
            foreach (string key in keys)
            {
                _ = cache.GetAsync(key);
            }
        }
        else
        {
            foreach (string key in keys)
            {
                _ = cache.Get(key);
            }
        }

        return Stopwatch.GetElapsedTime(start).TotalNanoseconds / keys.Length;
    }

    private static string[] ZipfSequence(string[] keys, int length)
    {
        var cumulative = new double[keys.Length];
        double sum = 0;
        for (int rank = 0; rank < keys.Length; rank++)
        {
            sum += 1d / (rank + 1);
            cumulative[rank] = sum;
        }

        var random = new Random(17);
        var sequence = new string[length];
        for (int i = 0; i < length; i++)
        {
            int index = Array.BinarySearch(cumulative, random.NextDouble() * sum);
            sequence[i] = keys[Math.Min(index < 0 ? ~index : index, keys.Length - 1)];
        }

        return sequence;
    }

    private static double Median(double[] values) => Quantile(values, 0.5);

    private static double Quantile(double[] values, double q)
    {
        double[] sorted = (double[])values.Clone();
        Array.Sort(sorted);
        return sorted[(int)Math.Round(q * (sorted.Length - 1))];
    }

    private static string LoadAverage()
    {
        try
        {
            string text = File.ReadAllText("/proc/loadavg");
            return text[..text.IndexOf(' ', StringComparison.Ordinal)];
        }
        catch (IOException)
        {
            return "unknown";
        }
        catch (UnauthorizedAccessException)
        {
            return "unknown";
        }
    }
}
