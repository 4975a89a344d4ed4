using PredictiveCaching.MachineLearning.Training;

namespace PredictiveCaching.MachineLearning.Tests.Training;

public sealed class TrainingDataChecksTests
{
    [Theory]
    [InlineData(false, "none read")]
    [InlineData(true, "all read")]
    public void Train_HeldOutSliceWithOneClass_RefusesToJudgeAModel(bool label, string expected)
    {
        // The newest samples become the held-out slice; make them all one class while the training slice has both.
        LabelledSample[] samples = SyntheticSamples.Create(2_000, 6);
        var options = new MachineLearningOptions();
        int heldOut = (int)Math.Round(samples.Length * options.HoldoutFraction);
        for (int i = samples.Length - heldOut; i < samples.Length; i++)
        {
            LabelledSample s = samples[i];
            samples[i] = new LabelledSample(s.Features, label, s.Weight, label ? 7f : float.NaN, s.SampleTicks);
        }

        TrainingDataException error = Assert.Throws<TrainingDataException>(
            () => FastTreeModelBuilder.Train(samples, SyntheticSamples.Names(6), [], options, 1, 0, TimeSpan.FromMinutes(5)));

        Assert.Contains("held-out slice", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_NoSampleRead_SaysSo()
    {
        LabelledSample[] samples = SyntheticSamples.Create(2_000, 6);
        for (int i = 0; i < samples.Length; i++)
        {
            LabelledSample s = samples[i];
            samples[i] = new LabelledSample(s.Features, false, s.Weight, float.NaN, s.SampleTicks);
        }

        TrainingDataException error = Assert.Throws<TrainingDataException>(
            () => FastTreeModelBuilder.Train(samples, SyntheticSamples.Names(6), [], new MachineLearningOptions(), 1, 0, TimeSpan.FromMinutes(5)));

        Assert.Contains("none read", error.Message, StringComparison.Ordinal);
    }
}
