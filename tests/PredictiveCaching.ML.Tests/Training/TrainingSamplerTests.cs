using Microsoft.Extensions.DependencyInjection;
using PredictiveCaching.MachineLearning.Training;

namespace PredictiveCaching.MachineLearning.Tests.Training;

public sealed class TrainingSamplerTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(5); // Balanced

    private static (MlHarness Harness, TrainingSampleStore Store) CreateSut(Action<MachineLearningOptions>? configure = null)
    {
        MlHarness harness = MlHarness.Create(configure);
        return (harness, harness.Provider.GetRequiredService<TrainingSampleStore>());
    }


    [Fact]
    public void SampleNow_LabelsPositiveOnlyForReadsWithinTheWindow_AfterItPasses()
    {
        (MlHarness harness, TrainingSampleStore store) = CreateSut();
        using MlHarness h = harness;
        h.Read("inside");
        h.Read("never");
        h.Read("after");
        h.Read("after");
        Assert.Equal(3, h.Trainer.CollectSamples());
        long sampledAt = h.Time.GetUtcNow().UtcTicks;

        h.Time.Advance(TimeSpan.FromMinutes(2));
        h.Read("inside");
        h.Trainer.CollectSamples();
        Assert.Equal(0, store.Count); // nothing labelled before the window has passed

        h.Time.Advance(Window - TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        h.Read("after"); // outside (sample, sample + window]
        h.Trainer.CollectSamples();

        LabelledSample[] labelled = store.Snapshot();
        Assert.Equal(3, labelled.Length);
        Assert.All(labelled, s => Assert.Equal(sampledAt, s.SampleTicks));
        int readCount = h.Provider.GetRequiredService<PredictiveCaching.Features.FeatureSchema>().IndexOf("read_count");

        // The label looks ahead; the features do not: "inside" was sampled with one read, not the later second one.
        LabelledSample inside = Assert.Single(labelled, s => s.Label);
        Assert.Equal(1f, inside.Features[readCount]);
        Assert.Equal((float)Math.Log(101d), inside.LogSize, 5);
        Assert.Contains(labelled, s => !s.Label && s.Features[readCount] == 2f); // "after"
        Assert.Contains(labelled, s => !s.Label && s.Features[readCount] == 1f && float.IsNaN(s.LogSize)); // "never"
    }

    [Fact]
    public void SampleNow_PendingIsBounded()
    {
        (MlHarness harness, _) = CreateSut(o => o.MaxPendingSamples = 5);
        using MlHarness h = harness;
        for (int i = 0; i < 20; i++)
        {
            h.Read("k" + i);
        }

        h.Trainer.CollectSamples();
        h.Trainer.CollectSamples();

        Assert.Equal(5, h.Trainer.PendingSampleCount);
        Assert.Equal(35, h.Provider.GetRequiredService<TrainingSampler>().SkippedCount);
    }

    [Fact]
    public void SampleNow_ThinsNegatives_AndWeighsTheKeptOnesUp()
    {
        (MlHarness harness, TrainingSampleStore store) = CreateSut(o => o.NegativeSamplingRate = 0.25);
        using MlHarness h = harness;
        for (int i = 0; i < 400; i++)
        {
            h.Read("k" + i);
        }

        h.Trainer.CollectSamples();
        h.Time.Advance(Window + TimeSpan.FromSeconds(1));
        h.Trainer.CollectSamples();

        LabelledSample[] labelled = store.Snapshot();
        Assert.InRange(labelled.Length, 60, 140);
        Assert.All(labelled, s => Assert.Equal(4f, s.Weight));
    }

    [Fact]
    public void SampleNow_ManyKeys_TakesAtMostMaxSamplesPerTick_WeighedByInverseRate()
    {
        (MlHarness harness, TrainingSampleStore store) = CreateSut(o => o.MaxSamplesPerTick = 50);
        using MlHarness h = harness;
        for (int i = 0; i < 200; i++)
        {
            h.Read("k" + i);
        }

        int taken = h.Trainer.CollectSamples();
        h.Time.Advance(Window + TimeSpan.FromSeconds(1));
        h.Trainer.CollectSamples();

        Assert.InRange(taken, 25, 80);
        Assert.All(store.Snapshot(), s => Assert.Equal(4f, s.Weight));
    }
}
