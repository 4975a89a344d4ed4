using PredictiveCaching.MachineLearning.Training;

namespace PredictiveCaching.MachineLearning.Tests.Training;

/// <summary>Labelled samples from a known rule, for training tests: P(read) rises with feature 0 and falls with feature 1.</summary>
internal static class SyntheticSamples
{
    public static string[] Names(int count)
    {
        string[] names = new string[count];
        for (int i = 0; i < count; i++)
        {
            names[i] = "f" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return names;
    }

    public static LabelledSample[] Create(int count, int featureCount, int seed = 1)
    {
        var random = new Random(seed);
        var samples = new LabelledSample[count];
        for (int i = 0; i < count; i++)
        {
            float[] features = LabelledRow(random, featureCount, out bool label);
            float logSize = label ? (float)Math.Log(1000d + (100d * features[2]) + 1d) : float.NaN;
            samples[i] = new LabelledSample(features, label, 1f, logSize, i * TimeSpan.TicksPerSecond);
        }

        return samples;
    }

    /// <summary>One row of features in [0, 10) and its label drawn from the rule.</summary>
    public static float[] LabelledRow(Random random, int featureCount, out bool label)
    {
        float[] features = new float[featureCount];
        for (int f = 0; f < featureCount; f++)
        {
            features[f] = (float)(random.NextDouble() * 10d);
        }

        double logit = (0.8 * features[0]) - (0.5 * features[1]) - 1d;
        label = random.NextDouble() < 1d / (1d + Math.Exp(-logit));
        return features;
    }

    public static float[] RandomRow(Random random, int featureCount, bool withNaN)
    {
        float[] row = new float[featureCount];
        for (int f = 0; f < featureCount; f++)
        {
            row[f] = withNaN && random.NextDouble() < 0.1 ? float.NaN : (float)((random.NextDouble() * 12d) - 1d);
        }

        return row;
    }
}
