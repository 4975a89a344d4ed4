using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PredictiveCaching.Prediction;
using PredictiveCaching.Testing;

namespace PredictiveCaching.MachineLearning.Tests;

/// <summary>
/// Predictive loading with learned prediction over a memory cache, in virtual time. Reads go through the real
/// decorator; the test advances the clock and drives the trainer (no hosted services run).
/// </summary>
internal sealed class MlHarness : IDisposable
{
    private MlHarness(FakeTimeProvider time, ServiceProvider provider, FakeLogCollector logs)
    {
        Time = time;
        Provider = provider;
        Logs = logs;
        Cache = provider.GetRequiredService<IDistributedCache>();
    }

    public FakeTimeProvider Time { get; }

    public ServiceProvider Provider { get; }

    public FakeLogCollector Logs { get; }

    public IDistributedCache Cache { get; }

    public ModelTrainer Trainer => Provider.GetRequiredService<ModelTrainer>();

    public ActivePredictor Active => Provider.GetRequiredService<ActivePredictor>();

    public static MlHarness Create(Action<MachineLearningOptions>? configure = null, Action<IPredictiveLoadingBuilder>? build = null)
    {
        FakeTimeProvider time = VirtualTime.Create();
        var services = new ServiceCollection();
        services.AddVirtualTime(time, new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions())));
        services.AddLogging(b => b.AddFakeLogging().SetMinimumLevel(LogLevel.Debug));
        IPredictiveLoadingBuilder builder = services.AddPredictiveLoadingForTests();
        build?.Invoke(builder);
        builder.AddMachineLearning(o =>
        {
            o.MinSamplesForTraining = 300;
            o.NumberOfTrees = 20;
            o.NegativeSamplingRate = 1d;

            // The harness's rhythm runs no prefetch cycles, so its samples are cut from the tracked keys; decision
            // tests turn this off.
            o.SampleTrackedKeys = true;
            configure?.Invoke(o);
        });
        ServiceProvider provider = services.BuildValidated();
        return new MlHarness(time, provider, provider.GetRequiredService<FakeLogCollector>());
    }

    public void Read(string key, int size = 100)
    {
        if (Cache.Get(key) is null)
        {
            Cache.Set(key, new byte[size]);
        }
    }

    /// <summary>
    /// Rhythmic keys: key k is read every 60 × (1 + k % 8) seconds (1 to 8 minutes) with jitter; the sampler runs every
    /// 30 s. With a 5-minute window, short-period keys are positive and long-period ones mostly not.
    /// </summary>
    public void RunRhythm(TimeSpan duration, int keys = 40, int seed = 1)
    {
        var random = new Random(seed);
        long[] next = new long[keys];
        long start = Time.GetUtcNow().UtcTicks;
        for (int k = 0; k < keys; k++)
        {
            next[k] = start + (random.Next(0, 60 * (1 + (k % 8))) * TimeSpan.TicksPerSecond);
        }

        long end = start + duration.Ticks;
        long nextSample = start;
        while (Time.GetUtcNow().UtcTicks < end)
        {
            long now = Time.GetUtcNow().UtcTicks;
            for (int k = 0; k < keys; k++)
            {
                if (next[k] <= now)
                {
                    Read("key:" + k.ToString(System.Globalization.CultureInfo.InvariantCulture), 100 * (1 + (k % 5)));
                    double period = 60d * (1 + (k % 8));
                    next[k] = now + (long)(period * (0.9 + (0.2 * random.NextDouble())) * TimeSpan.TicksPerSecond);
                }
            }

            if (now >= nextSample)
            {
                Trainer.CollectSamples();
                nextSample = now + TimeSpan.FromSeconds(30).Ticks;
            }

            Time.Advance(TimeSpan.FromSeconds(10));
        }
    }

    public void Dispose() => Provider.Dispose();
}
