using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PredictiveCaching.Features;
using PredictiveCaching.MachineLearning;
using PredictiveCaching.MachineLearning.Training;
using PredictiveCaching.Prediction;

namespace PredictiveCaching.Benchmarks;

/// <summary>
/// <c>ml-report [trace.csv.gz]</c>: times a training on 100 000 samples, then drives a block I/O trace (CSV
/// version,time,op,size,lbn; lbn is the key, time in seconds) through the predictive cache in virtual time, cuts samples
/// every 30 s, trains on them and prints the reliability table of the held-out (newest) slice.
/// </summary>
internal static class MlReport
{
    public static int Run(string[] args)
    {
        TimeTraining();
        string trace = args.Length > 1 ? args[1] : "/work/shared/traces/cloudphysics_io_2h.csv.gz";
        Synthetic();
        if (File.Exists(trace))
        {
            Calibrate(trace);
        }
        else
        {
            Console.WriteLine("trace not found: " + trace);
        }

        return 0;
    }

    private static void TimeTraining()
    {
        var options = new MachineLearningOptions();
        ScoringBenchmarks.TrainSynthetic(2_000, ScoringBenchmarks.FeatureCount, options); // warm up ML.NET
        var stopwatch = Stopwatch.StartNew();
        FastTreeTrainingResult result = ScoringBenchmarks.TrainSynthetic(100_000, ScoringBenchmarks.FeatureCount, options);
        stopwatch.Stop();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"training: 100000 samples x {ScoringBenchmarks.FeatureCount} features, {options.NumberOfTrees} trees, {result.NumberOfLeaves} leaves, classifier + size regressor, 1 thread: {stopwatch.Elapsed.TotalSeconds:0.00} s (held-out AUC {result.Evaluation.Auc:0.000})"));
    }

    /// <summary>
    /// 400 keys for 4 virtual hours: a quarter read on a rhythm (1 to 10 minutes, ±10 % jitter), the rest drawn from a
    /// Zipf(1.1) popularity at 2 reads per second.
    /// </summary>
    private static void Synthetic()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero));
        using ServiceProvider provider = CreateHost(time);
        IDistributedCache cache = provider.GetRequiredService<IDistributedCache>();
        ModelTrainer trainer = provider.GetRequiredService<ModelTrainer>();
        var random = new Random(5);
        const int Keys = 400;
        double[] cumulative = new double[Keys];
        double total = 0;
        for (int k = 0; k < Keys; k++)
        {
            total += 1d / Math.Pow(k + 1, 1.1);
            cumulative[k] = total;
        }

        long start = time.GetUtcNow().UtcTicks;
        long[] next = new long[Keys / 4];
        for (int k = 0; k < next.Length; k++)
        {
            next[k] = start + (random.Next(0, 600) * TimeSpan.TicksPerSecond);
        }

        int requests = 0;
        for (int second = 0; second < 4 * 3600; second++)
        {
            long now = time.GetUtcNow().UtcTicks;
            for (int k = 0; k < next.Length; k++)
            {
                if (next[k] <= now)
                {
                    Read(cache, "rhythm:" + k.ToString(CultureInfo.InvariantCulture), 1000 + (k * 10));
                    next[k] = now + (long)(60d * (1 + (k % 10)) * (0.9 + (0.2 * random.NextDouble())) * TimeSpan.TicksPerSecond);
                    requests++;
                }
            }

            for (int r = 0; r < 2; r++)
            {
                int k = Array.BinarySearch(cumulative, random.NextDouble() * total);
                k = k < 0 ? ~k : k;
                Read(cache, "zipf:" + k.ToString(CultureInfo.InvariantCulture), 500 + (k * 3));
                requests++;
            }

            if (second % 30 == 0)
            {
                trainer.CollectSamples();
            }

            time.Advance(TimeSpan.FromSeconds(1));
        }

        Report("synthetic rhythm + Zipf", requests, provider, time);
    }

    /// <summary>The library with learned prediction over an in-memory cache, in the virtual time of <paramref name="time"/>.</summary>
    private static ServiceProvider CreateHost(FakeTimeProvider time)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddDistributedMemoryCache();
        services.AddPredictiveLoading(o => o.Strategies.Adaptive = false).AddMachineLearning();
        return services.BuildServiceProvider();
    }

    private static void Read(IDistributedCache cache, string key, int size)
    {
        if (cache.Get(key) is null)
        {
            cache.Set(key, new byte[size]);
        }
    }

    private static void Calibrate(string path)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero));
        using ServiceProvider provider = CreateHost(time);
        IDistributedCache cache = provider.GetRequiredService<IDistributedCache>();
        ModelTrainer trainer = provider.GetRequiredService<ModelTrainer>();

        long start = time.GetUtcNow().UtcTicks;
        long first = -1;
        long nextSample = start;
        int requests = 0;
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        reader.ReadLine();
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            string[] parts = line.Split(',');
            long seconds = long.Parse(parts[1], CultureInfo.InvariantCulture);
            first = first < 0 ? seconds : first;
            long at = start + ((seconds - first) * TimeSpan.TicksPerSecond);
            while (nextSample <= at)
            {
                AdvanceTo(time, nextSample);
                trainer.CollectSamples();
                nextSample += TimeSpan.FromSeconds(30).Ticks;
            }

            AdvanceTo(time, at);
            string key = "lbn:" + parts[4];
            if (cache.Get(key) is null)
            {
                cache.Set(key, new byte[int.Parse(parts[3], CultureInfo.InvariantCulture)]);
            }

            requests++;
        }

        // Samples whose window reaches past the end of the trace stay pending and are left out: the trace cannot say
        // whether their key would have been read, and labelling them negative would skew the newest (held-out) slice.
        Report(Path.GetFileName(path), requests, provider, time);
    }

    private static void Report(string name, int requests, ServiceProvider provider, FakeTimeProvider time)
    {
        FeatureSchema schema = provider.GetRequiredService<FeatureSchema>();
        LabelledSample[] samples = provider.GetRequiredService<TrainingSampleStore>().Snapshot();
        var stopwatch = Stopwatch.StartNew();
        FastTreeTrainingResult result = FastTreeModelBuilder.Train(samples, schema.Names, [], new MachineLearningOptions(), 1, time.GetUtcNow().UtcTicks, TimeSpan.FromMinutes(5));
        stopwatch.Stop();
        int positives = samples.Count(s => s.Label);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: {requests} requests, {samples.Length} labelled samples ({positives} positive), {schema.Count} features, trained in {stopwatch.Elapsed.TotalSeconds:0.00} s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"held-out slice: {result.Holdout.Length} samples, log-loss {result.Evaluation.LogLoss:0.0000} (base rate {result.BaselineLogLoss:0.0000}), AUC {result.Evaluation.Auc:0.000}, size RMSE(log) {result.Evaluation.SizeRmse:0.000}"));
        Console.WriteLine("| predicted | samples | weight | mean predicted | observed |");
        Console.WriteLine("|---|---|---|---|---|");
        int[] count = new int[10];
        double[] weight = new double[10], predicted = new double[10], observed = new double[10];
        foreach (LabelledSample s in result.Holdout)
        {
            double p = result.Model.PredictProbability(s.Features);
            int bin = Math.Min(9, (int)(p * 10));
            count[bin]++;
            weight[bin] += s.Weight;
            predicted[bin] += s.Weight * p;
            observed[bin] += s.Label ? s.Weight : 0d;
        }

        for (int b = 0; b < 10; b++)
        {
            Console.WriteLine(count[b] == 0
                ? string.Create(CultureInfo.InvariantCulture, $"| {b / 10d:0.0}–{(b + 1) / 10d:0.0} | 0 | 0 | – | – |")
                : string.Create(CultureInfo.InvariantCulture, $"| {b / 10d:0.0}–{(b + 1) / 10d:0.0} | {count[b]} | {weight[b]:0} | {predicted[b] / weight[b]:0.000} | {observed[b] / weight[b]:0.000} |"));
        }

        Console.WriteLine("importances: " + string.Join(", ", Enumerable.Range(0, schema.Count).OrderByDescending(i => result.Importances[i]).Take(8).Select(i => string.Create(CultureInfo.InvariantCulture, $"{schema.Names[i]} {result.Importances[i]:0.000}"))));
    }

    private static void AdvanceTo(FakeTimeProvider time, long ticks)
    {
        long now = time.GetUtcNow().UtcTicks;
        if (ticks > now)
        {
            time.Advance(TimeSpan.FromTicks(ticks - now));
        }
    }
}
