using System.Globalization;
using System.Text;
using PredictiveCaching.Replay.Readers;

namespace PredictiveCaching.Replay.Synthetic;

/// <summary>
/// A SYNTHETIC workload with known structure, for tests where the right answer is known (the real traces stay the
/// measure of value). It mixes:
/// <list type="bullet">
/// <item><c>periodic:i</c>: read every P_i seconds (P_i ≥ the TTL, small jitter): every read misses without prefetch,
/// and a rhythm predictor can refresh each one just in time.</item>
/// <item><c>zipf:i</c>: Poisson reads with Zipf popularity: hot keys stay cached anyway, the tail is hard to predict.</item>
/// <item>sessions: <c>order:i</c> then, 0.5–1.5 s later, always the same <c>customer:c(i)</c> (a successor link).</item>
/// <item>paged listings: <c>list:j:page:1</c>, <c>…:page:2</c>, … one second apart (a sequence).</item>
/// <item>one-hit noise: <c>noise:n</c>, read once (nothing can or should predict it).</item>
/// </list>
/// Deterministic for a given seed.
/// </summary>
public static class SyntheticWorkload
{
    public static IReadOnlyList<TraceRequest> Generate(SyntheticWorkloadOptions? options = null)
    {
        options ??= new SyntheticWorkloadOptions();
        var random = new Random(options.Seed);
        var requests = new List<TraceRequest>();
        int duration = options.DurationSeconds;
        void Read(double at, string key, long size)
        {
            if (at >= 0 && at < duration)
            {
                requests.Add(new TraceRequest(Math.Round(at, 3), key, size, options.TtlSeconds, TraceOperation.Read));
            }
        }

        for (int i = 0; i < options.PeriodicKeys; i++)
        {
            double period = options.MinPeriodSeconds + (random.NextDouble() * (options.MaxPeriodSeconds - options.MinPeriodSeconds));
            long size = 1024 + random.Next(16 * 1024);
            for (double at = random.NextDouble() * period; at < duration; at += period * (1 + (options.PeriodJitter * ((2 * random.NextDouble()) - 1))))
            {
                Read(at, Key("periodic:", i), size);
            }
        }

        double[] zipf = ZipfCumulative(options.ZipfKeys, options.ZipfExponent);
        foreach (double at in Poisson(random, options.ZipfReadsPerSecond, duration))
        {
            int rank = Array.BinarySearch(zipf, random.NextDouble());
            rank = rank < 0 ? ~rank : rank;
            Read(at, Key("zipf:", Math.Min(rank, options.ZipfKeys - 1)), 2048);
        }

        foreach (double at in Poisson(random, options.SessionsPerSecond, duration))
        {
            int order = random.Next(options.Orders);
            Read(at, Key("order:", order), 4096);
            Read(at + 0.5 + random.NextDouble(), Key("customer:", (order * 7) % (options.Orders / 3 + 1)), 1024);
        }

        foreach (double at in Poisson(random, options.PagedListingsPerSecond, duration))
        {
            int listing = random.Next(options.Listings);
            for (int page = 1; page <= options.PagesPerListing; page++)
            {
                Read(at + page - 1, string.Create(CultureInfo.InvariantCulture, $"list:{listing}:page:{page}"), 8192);
            }
        }

        int noise = 0;
        foreach (double at in Poisson(random, options.NoisePerSecond, duration))
        {
            Read(at, Key("noise:", noise++), 512);
        }

        // Stable: equal times keep generation order, so a session's A stays before its B.
        return [.. requests.OrderBy(r => r.TimeSeconds)];
    }

    /// <summary>Writes the workload as a plain CSV trace (<c>timestamp_seconds,key,value_size,ttl_seconds,op</c>).</summary>
    public static void WriteCsv(string path, SyntheticWorkloadOptions? options = null)
    {
        var text = new StringBuilder().AppendLine("timestamp_seconds,key,value_size,ttl_seconds,op");
        foreach (TraceRequest r in Generate(options))
        {
            text.Append(CultureInfo.InvariantCulture, $"{r.TimeSeconds},{r.Key},{r.Size},{r.TtlSeconds},read").Append('\n');
        }

        File.WriteAllText(path, text.ToString());
    }

    private static string Key(string prefix, int i) => string.Create(CultureInfo.InvariantCulture, $"{prefix}{i}");

    private static IEnumerable<double> Poisson(Random random, double perSecond, int duration)
    {
        if (perSecond <= 0)
        {
            yield break;
        }

        for (double at = -Math.Log(1 - random.NextDouble()) / perSecond; at < duration; at += -Math.Log(1 - random.NextDouble()) / perSecond)
        {
            yield return at;
        }
    }

    private static double[] ZipfCumulative(int keys, double exponent)
    {
        double[] cumulative = new double[Math.Max(1, keys)];
        double sum = 0;
        for (int i = 0; i < cumulative.Length; i++)
        {
            sum += 1 / Math.Pow(i + 1, exponent);
            cumulative[i] = sum;
        }

        for (int i = 0; i < cumulative.Length; i++)
        {
            cumulative[i] /= sum;
        }

        return cumulative;
    }
}
