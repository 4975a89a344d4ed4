using PredictiveCaching.Features;
using PredictiveCaching.Prediction;
using PredictiveCaching.Resources;
using PredictiveCaching.Tests.Features;

namespace PredictiveCaching.Tests.Prediction;

public sealed class TreeModelFormatTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "pc-model-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    internal static TreeModel CreateModel(string[]? names = null, bool withSize = true) => new(
        names ?? ["a", "b"],
        CompiledTreeEnsembleTests.CreateSut(),
        new PlattCalibration(-0.3, 1.5),
        withSize ? CompiledTreeEnsembleTests.CreateSut(bias: 6d) : null,
        new TreeModelMetadata
        {
            Version = 3,
            TrainedAtTicks = 638_000_000_000_000_000,
            SampleCount = 1234,
            PositiveCount = 321,
            HoldoutLogLoss = 0.42,
            HoldoutAuc = 0.81,
            HoldoutSizeRmse = 0.1,
            Lookahead = TimeSpan.FromMinutes(5),
            DroppedFeatures = [new DroppedFeature("b", 0.01, 0.05)],
        });

    private static byte[] Bytes(TreeModel model)
    {
        using var stream = new MemoryStream();
        TreeModelFormat.Save(model, stream);
        return stream.ToArray();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SaveLoad_RoundTrip_ScoresAndMetadataEqual(bool withSize)
    {
        TreeModel original = CreateModel(withSize: withSize);
        TreeModel loaded = TreeModelFormat.Load(new MemoryStream(Bytes(original)));

        Assert.Equal(original.FeatureNames, loaded.FeatureNames);
        Assert.Equal(original.SchemaFingerprint, loaded.SchemaFingerprint);
        Assert.Equal(original.Calibration, loaded.Calibration);
        Assert.Equal("model v3", loaded.Kind);
        Assert.Equal(1234, loaded.Metadata.SampleCount);
        Assert.Equal(0.81, loaded.Metadata.HoldoutAuc);
        Assert.Equal(TimeSpan.FromMinutes(5), loaded.Metadata.Lookahead);
        Assert.Equal(new DroppedFeature("b", 0.01, 0.05), Assert.Single(loaded.Metadata.DroppedFeatures));
        Assert.Equal(withSize, loaded.SizeRegressor is not null);
        var random = new Random(1);
        for (int i = 0; i < 1000; i++)
        {
            float[] row = [(float)(random.NextDouble() * 4 - 1), (float)(random.NextDouble() * 10)];
            Assert.Equal(original.PredictProbability(row), loaded.PredictProbability(row));
            Assert.Equal(original.PredictSize(row), loaded.PredictSize(row));
        }
    }

    [Fact]
    public void Load_EveryFlippedByte_IsRefused()
    {
        byte[] bytes = Bytes(CreateModel());
        for (int i = 0; i < bytes.Length; i++)
        {
            byte[] corrupt = (byte[])bytes.Clone();
            corrupt[i] ^= 0x5A;
            Assert.Throws<InvalidDataException>(() => TreeModelFormat.Load(new MemoryStream(corrupt)));
        }
    }

    [Fact]
    public void Load_EveryTruncation_IsRefused()
    {
        byte[] bytes = Bytes(CreateModel());
        for (int length = 0; length < bytes.Length; length++)
        {
            Assert.Throws<InvalidDataException>(() => TreeModelFormat.Load(new MemoryStream(bytes, 0, length)));
        }
    }

    [Fact]
    public void Load_OtherVersion_IsRefusedWithTheVersion()
    {
        byte[] bytes = Bytes(CreateModel());
        bytes[4] = 9;
        var ex = Assert.Throws<InvalidDataException>(() => TreeModelFormat.Load(new MemoryStream(bytes)));
        Assert.Contains("format version 9", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryLoad_SchemaDiffers_IsRefusedWithClearReason()
    {
        string path = Path.Combine(_directory, "model.pctm");
        TreeModelFormat.Save(CreateModel(["a", "b"]), path);
        var schema = new FeatureSchema([new FakeFeatureExtractor(0f, "a", "c")]);

        Assert.False(TreeModelFormat.TryLoad(path, schema, out TreeModel? model, out string? reason));
        Assert.Null(model);
        Assert.Contains("different feature schema", reason, StringComparison.Ordinal);
        Assert.Contains("position 1: model 'b', running 'c'", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TryLoad_MatchingSchema_LoadsAndPredicts()
    {
        string path = Path.Combine(_directory, "nested", "model.pctm");
        TreeModel original = CreateModel(["a", "b"]);
        TreeModelFormat.Save(original, path);
        var schema = new FeatureSchema([new FakeFeatureExtractor(0f, "a", "b")]);

        Assert.True(TreeModelFormat.TryLoad(path, schema, out TreeModel? model, out string? reason), reason);
        var context = new PredictionContext("k", null, 0, TimeSpan.FromMinutes(5), ResourceSnapshot.Unknown, 0.5, false);
        Assert.Equal(original.Predict(in context, [0f, 0f]), model.Predict(in context, [0f, 0f]));
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void TryLoad_MissingOrGarbage_IsRefused()
    {
        var schema = new FeatureSchema([new FakeFeatureExtractor(0f, "a", "b")]);
        Assert.False(TreeModelFormat.TryLoad(Path.Combine(_directory, "none.pctm"), schema, out _, out string? missing));
        Assert.Contains("no model file", missing, StringComparison.Ordinal);

        Directory.CreateDirectory(_directory);
        string garbage = Path.Combine(_directory, "garbage.pctm");
        File.WriteAllText(garbage, "this is not a model");
        Assert.False(TreeModelFormat.TryLoad(garbage, schema, out _, out string? reason));
        Assert.Contains("PCTM", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Predict_CombinesPriorAsNoisyOr_AndFallsBackToLastSizeWithoutSizeModel()
    {
        TreeModel model = CreateModel(withSize: false);
        float[] row = [0f, 0f];
        double p = model.PredictProbability(row);
        var context = new PredictionContext("k", null, 0, TimeSpan.FromMinutes(5), ResourceSnapshot.Unknown, 0.5, false, prior: 0.5, sizeHint: 77);
        AccessPrediction prediction = model.Predict(in context, row);
        Assert.Equal(1d - ((1d - p) * 0.5), prediction.Probability, 12);
        Assert.Equal(77, prediction.PredictedSizeBytes);
        Assert.True(model.UsesFeatures);
    }
}
