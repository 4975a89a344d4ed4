using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Caching.Distributed;
using PredictiveCaching.MachineLearning;

namespace PredictiveCaching.Benchmarks;

/// <summary>
/// <c>read-latency</c>: the application's reads while a model trains. One thread reads a hot key through the decorator
/// as fast as it can and records each read's latency; first alone, then while a training on 100 000 samples runs on a
/// thread of its own at <see cref="ThreadPriority.BelowNormal"/>, as <c>ModelTrainer</c> runs it. Percentiles of both
/// runs, in one process. Not BenchmarkDotNet: what it measures is the tail, which a mean hides.
/// </summary>
internal static class ReadLatencyDuringTraining
{
    // Latencies up to 100 µs in 10 ns buckets; longer ones kept exactly (they are rare, and they are the point).
    private const int BucketNanoseconds = 10;
    private const int Buckets = 10_000;

    public static int Run()
    {
        var options = new MachineLearningOptions();
        ScoringBenchmarks.TrainSynthetic(2_000, ScoringBenchmarks.FeatureCount, options); // warm up ML.NET
        using var caches = new DecoratedMemoryCache();
        caches.Decorated.Set("product:1", new byte[256], new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromHours(1) });
        Measure(caches.Decorated, () => Thread.Sleep(2_000)); // warm up the read path

        var training = new Stopwatch();
        Latencies alone = Measure(caches.Decorated, () => Thread.Sleep(10_000));
        Latencies during = Measure(caches.Decorated, () =>
        {
            var thread = new Thread(() => ScoringBenchmarks.TrainSynthetic(100_000, ScoringBenchmarks.FeatureCount, options))
            {
                IsBackground = true,
                Priority = ThreadPriority.BelowNormal,
                Name = "training",
            };
            training.Start();
            thread.Start();
            thread.Join();
            training.Stop();
        });

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cores: {Environment.ProcessorCount}; training on 100000 samples took {training.Elapsed.TotalSeconds:0.0} s; GCs during it: see below"));
        Console.WriteLine("| reads | count | p50 | p99 | p99.9 | p99.99 | max |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine(alone.Row("alone (10 s)"));
        Console.WriteLine(during.Row("during a training"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"gen2 collections: alone {alone.Gen2}, during {during.Gen2}; pause total: alone {alone.PauseMs:0.0} ms, during {during.PauseMs:0.0} ms"));
        return 0;
    }

    private static Latencies Measure(IDistributedCache cache, Action background)
    {
        var result = new Latencies();
        int gen2 = GC.CollectionCount(2);
        TimeSpan paused = GC.GetTotalPauseDuration();
        using var done = new ManualResetEventSlim();
        var worker = new Thread(() =>
        {
            background();
            done.Set();
        });
        worker.Start();
        double nanosecondsPerTick = 1e9 / Stopwatch.Frequency;
        while (!done.IsSet)
        {
            for (int i = 0; i < 1_000; i++)
            {
                long start = Stopwatch.GetTimestamp();
                cache.Get("product:1");
                result.Add((long)((Stopwatch.GetTimestamp() - start) * nanosecondsPerTick));
            }
        }

        worker.Join();
        result.Gen2 = GC.CollectionCount(2) - gen2;
        result.PauseMs = (GC.GetTotalPauseDuration() - paused).TotalMilliseconds;
        return result;
    }

    private sealed class Latencies
    {
        private readonly long[] _buckets = new long[Buckets];
        private readonly List<long> _long = [];
        private long _count;

        public int Gen2 { get; set; }

        public double PauseMs { get; set; }

        public void Add(long nanoseconds)
        {
            _count++;
            long bucket = nanoseconds / BucketNanoseconds;
            if (bucket < Buckets)
            {
                _buckets[bucket]++;
            }
            else
            {
                _long.Add(nanoseconds);
            }
        }

        public string Row(string name) => string.Create(
            CultureInfo.InvariantCulture,
            $"| {name} | {_count:N0} | {Format(Percentile(0.50))} | {Format(Percentile(0.99))} | {Format(Percentile(0.999))} | {Format(Percentile(0.9999))} | {Format(Max())} |");

        private long Percentile(double quantile)
        {
            long rank = (long)Math.Ceiling(quantile * _count);
            long seen = 0;
            for (int i = 0; i < Buckets; i++)
            {
                seen += _buckets[i];
                if (seen >= rank)
                {
                    return (i + 1L) * BucketNanoseconds;
                }
            }

            _long.Sort();
            return _long[(int)Math.Min(_long.Count - 1, rank - seen - 1)];
        }

        private long Max()
        {
            if (_long.Count > 0)
            {
                return _long.Max();
            }

            for (int i = Buckets - 1; i >= 0; i--)
            {
                if (_buckets[i] > 0)
                {
                    return (i + 1L) * BucketNanoseconds;
                }
            }

            return 0;
        }

        private static string Format(long nanoseconds) => nanoseconds >= 10_000
            ? string.Create(CultureInfo.InvariantCulture, $"{nanoseconds / 1000d:0} µs")
            : string.Create(CultureInfo.InvariantCulture, $"{nanoseconds} ns");
    }
}
