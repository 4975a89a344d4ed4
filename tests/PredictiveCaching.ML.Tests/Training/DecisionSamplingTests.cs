using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using PredictiveCaching.Features;
using PredictiveCaching.Loop.Scoring;
using PredictiveCaching.MachineLearning.Training;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Resources;
using PredictiveCaching.Strategies;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.MachineLearning.Tests.Training;

public sealed class DecisionSamplingTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(5); // Balanced

    private static MlHarness CreateSut(Action<MachineLearningOptions>? configure = null, Action<IPredictiveLoadingBuilder>? build = null) =>
        MlHarness.Create(
            o =>
            {
                o.SampleTrackedKeys = false;
                configure?.Invoke(o);
            },
            build);

    private static void Score(MlHarness h, string key, CandidateReason reason, double probability, bool byPredictor, double prior = 0d)
    {
        var observer = h.Provider.GetRequiredService<IScoringObserver>();
        h.Provider.GetRequiredService<AccessTracker>().TryGet(key, out KeyAccessStatistics? entry);
        FeatureSchema schema = h.Provider.GetRequiredService<FeatureSchema>();
        float[] features = new float[schema.Count];
        features[0] = 3f;
        var context = new PredictionContext(key, entry?.Snapshot(), h.Time.GetUtcNow().UtcTicks, Window, h.Provider.GetRequiredService<ResourceMonitor>().Current, 0.5, isSequential: false, prior);
        observer.OnScored(in context, reason, features, probability, byPredictor);
    }

    [Fact]
    public void OnScored_LabelsAfterTheWindow_ByWhatWasRead_WithTheSizeRead_AndKeepsNegatives()
    {
        using MlHarness h = CreateSut();
        var store = h.Provider.GetRequiredService<TrainingSampleStore>();
        h.Read("read", size: 700);
        h.Read("unread");
        long decidedAt = h.Time.GetUtcNow().UtcTicks;
        Score(h, "read", CandidateReason.Expiry, 0.7, byPredictor: false);
        Score(h, "unread", CandidateReason.Rhythm, 0.2, byPredictor: true, prior: 0.1);
        Assert.Equal(2, h.Trainer.PendingSampleCount);

        h.Time.Advance(TimeSpan.FromMinutes(2));
        h.Read("read", size: 700);
        h.Provider.GetRequiredService<IScoringObserver>().OnCycle(h.Time.GetUtcNow().UtcTicks);
        Assert.Equal(0, store.Count); // nothing labelled before the window has passed

        h.Time.Advance(Window - TimeSpan.FromMinutes(2));
        h.Provider.GetRequiredService<IScoringObserver>().OnCycle(h.Time.GetUtcNow().UtcTicks);

        LabelledSample[] labelled = store.Snapshot();
        Assert.Equal(2, labelled.Length);
        Assert.Equal(0, h.Trainer.PendingSampleCount);
        LabelledSample read = Assert.Single(labelled, s => s.Label);
        LabelledSample unread = Assert.Single(labelled, s => !s.Label);
        Assert.Equal(decidedAt, read.SampleTicks);
        Assert.Equal((float)Math.Log(701d), read.LogSize);
        Assert.Equal(3f, read.Features[0]);
        Assert.True(read.Decision.IsDecision);
        Assert.False(read.Decision.ByPredictor);
        Assert.Equal(0.7f, read.Decision.HeuristicProbability);
        Assert.Equal((float)h.Provider.GetRequiredService<StrategySelector>().Current.ProbabilityThreshold, read.Decision.Threshold);
        Assert.Equal(1f, unread.Weight); // negatives are kept, not thinned
        Assert.True(unread.Decision.ByPredictor);
        Assert.Equal(0.1f, unread.Decision.Prior);
        Assert.True(float.IsNaN(unread.LogSize));
    }

    [Fact]
    public void OnScored_KeyAlreadyPending_IsNotSampledAgain_AndAFullStoreSkipsAndCounts()
    {
        using MlHarness h = CreateSut(o => o.MaxPendingSamples = 2);
        h.Read("a");
        h.Read("b");
        h.Read("c");
        Score(h, "a", CandidateReason.Expiry, 0.7, byPredictor: false);
        Score(h, "a", CandidateReason.CoAccess, 0.9, byPredictor: false);
        Score(h, "b", CandidateReason.Rhythm, 0.4, byPredictor: true);
        Score(h, "c", CandidateReason.Rhythm, 0.4, byPredictor: true);

        Assert.Equal(2, h.Trainer.PendingSampleCount);
        Assert.Equal(1, h.Trainer.GetStatus().SamplesSkipped);
    }

    [Fact]
    public void OnScored_SampleTrackedKeys_TakesNoDecisionSamples()
    {
        using MlHarness h = MlHarness.Create();
        h.Read("a");
        Score(h, "a", CandidateReason.Expiry, 0.7, byPredictor: false);

        Assert.Equal(0, h.Trainer.PendingSampleCount);
    }

    [Fact]
    public async Task Loop_ExpiringCopiesOnARhythm_BecomeDecisionSamples_LabelledWithinTheRun()
    {
        using MlHarness h = CreateSut(build: b => b.AddSource("key:", (_, _) => Task.FromResult<byte[]?>(new byte[100])));
        var loader = h.Provider.GetRequiredService<IPredictiveLoader>();
        var ttl = new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(60) };
        var random = new Random(3);
        long[] next = new long[20];
        for (int minute = 0; minute < 20 * 6; minute++)
        {
            long now = h.Time.GetUtcNow().UtcTicks;
            for (int k = 0; k < next.Length; k++)
            {
                if (next[k] <= now)
                {
                    string key = "key:" + k.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    if (await h.Cache.GetAsync(key) is null)
                    {
                        await h.Cache.SetAsync(key, new byte[100], ttl);
                    }

                    next[k] = now + (long)(90d * (1 + (k % 4)) * (0.9 + (0.2 * random.NextDouble())) * TimeSpan.TicksPerSecond);
                }
            }

            await loader.RunCycleAsync();
            await loader.WaitForPrefetchesAsync();
            h.Time.Advance(TimeSpan.FromSeconds(10));
        }

        LabelledSample[] labelled = h.Provider.GetRequiredService<TrainingSampleStore>().Snapshot();
        Assert.NotEmpty(labelled);
        Assert.All(labelled, s => Assert.True(s.Decision.IsDecision));
        Assert.Contains(labelled, s => s.Label);
        Assert.Contains(labelled, s => !s.Label);
        LearnedModelStatus status = loader.GetStatus().Model!;
        Assert.Equal(labelled.Length, status.SamplesLabelled);
        Assert.Equal(h.Trainer.PendingSampleCount, status.SamplesPending);
    }
}
