using PredictiveCaching.Features;
using PredictiveCaching.Prediction;
using PredictiveCaching.Resources;

namespace PredictiveCaching.Tests.Prediction;

/// <summary>
/// Models travel between instances (Redis) and between versions of the library (model files), so the format is pinned
/// by a file written once and checked in: today's writer must produce it byte for byte, and today's reader must read
/// it and score as the model it came from. A deliberate change of the format bumps
/// <see cref="TreeModelFormat.CurrentVersion"/>, adds a new golden file, and keeps this one loading.
/// </summary>
public sealed class TreeModelGoldenFileTests
{
    private static readonly string GoldenPath = Path.Combine(AppContext.BaseDirectory, "Prediction", "Golden", "model-v1.pctm");

    [Fact]
    public void Save_TheReferenceModel_WritesTheGoldenFileByteForByte()
    {
        using var stream = new MemoryStream();
        TreeModelFormat.Save(TreeModelFormatTests.CreateModel(), stream);

        if (Environment.GetEnvironmentVariable("PREDICTIVE_CACHING_WRITE_GOLDEN") == "1")
        {
            File.WriteAllBytes(Path.Combine(SourceDirectory(), "Prediction", "Golden", "model-v1.pctm"), stream.ToArray());
        }

        Assert.Equal(File.ReadAllBytes(GoldenPath), stream.ToArray());
    }

    [Fact]
    public void Load_TheGoldenFile_ScoresAsTheReferenceModel()
    {
        TreeModel reference = TreeModelFormatTests.CreateModel();
        TreeModel loaded = TreeModelFormat.Load(GoldenPath);

        Assert.Equal(1, TreeModelFormat.CurrentVersion);
        Assert.Equal(reference.FeatureNames, loaded.FeatureNames);
        Assert.Equal(reference.SchemaFingerprint, loaded.SchemaFingerprint);
        Assert.Equal(reference.Metadata.SampleCount, loaded.Metadata.SampleCount);
        var random = new Random(7);
        var resources = new ResourceSnapshot(1, 0.2, 0.2, 0, 0, 0, 0, 0);
        for (int i = 0; i < 200; i++)
        {
            float[] row = [(float)(random.NextDouble() * 10), (float)(random.NextDouble() * 10)];
            var context = new PredictionContext("k", null, 0, TimeSpan.FromMinutes(5), resources, 0.5, false);
            AccessPrediction expected = reference.Predict(in context, row);
            AccessPrediction actual = loaded.Predict(in context, row);
            Assert.Equal(expected.Probability, actual.Probability, 12);
            Assert.Equal(expected.PredictedSizeBytes, actual.PredictedSizeBytes);
        }
    }

    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") =>
        Path.GetDirectoryName(Path.GetDirectoryName(path))!;
}
