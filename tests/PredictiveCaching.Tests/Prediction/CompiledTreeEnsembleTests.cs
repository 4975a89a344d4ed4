using PredictiveCaching.Prediction;

namespace PredictiveCaching.Tests.Prediction;

public sealed class CompiledTreeEnsembleTests
{
    // Tree 0: f0 <= 1 ? (f1 <= 5 ? leaf0 : leaf1) : leaf2.  Tree 1: a single leaf (leaf3).
    internal static CompiledTreeEnsemble CreateSut(double bias = 0.5) => new(
        featureCount: 2,
        bias: bias,
        roots: [0, ~3],
        splitFeatures: [0, 1],
        thresholds: [1f, 5f],
        left: [1, ~0],
        right: [~2, ~1],
        leafValues: [10d, 20d, 30d, 0.25d]);

    [Theory]
    [InlineData(0f, 0f, 10.75)]
    [InlineData(1f, 5f, 10.75)]
    [InlineData(1f, 5.0001f, 20.75)]
    [InlineData(1.0001f, 0f, 30.75)]
    [InlineData(float.NaN, 0f, 30.75)]
    [InlineData(0f, float.NaN, 20.75)]
    public void Score_ThresholdIsInclusiveLeft_NaNGoesRight(float f0, float f1, double expected)
    {
        Assert.Equal(expected, CreateSut().Score([f0, f1]), 12);
    }

    [Fact]
    public void ScoreBatch_EqualsRowByRow()
    {
        // 300 rows: passes of 64 rows through the batch layout where a bit-set layout runs, then a tail row by row.
        CompiledTreeEnsemble sut = CreateSut();
        float[] pattern = [0f, 0f, 1f, 6f, 2f, 0f, float.NaN, float.NaN, 1f, 5f, 0f, float.NaN];
        const int Rows = 300;
        float[] rows = new float[Rows * 2];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = pattern[i % pattern.Length];
        }

        double[] scores = new double[Rows];
        sut.ScoreBatch(rows, scores);
        for (int r = 0; r < Rows; r++)
        {
            Assert.Equal(sut.Score(rows.AsSpan(r * 2, 2)), scores[r], 12);
        }
    }

    [Fact]
    public void Score_WrongLength_Throws()
    {
        Assert.Throws<ArgumentException>(() => CreateSut().Score([1f]));
        Assert.Throws<ArgumentException>(() => CreateSut().ScoreBatch(new float[3], new double[2]));
    }

    [Theory]
    [InlineData(0f, 0f)]
    [InlineData(1f, 5.0001f)]
    [InlineData(1.0001f, 0f)]
    [InlineData(float.NaN, float.NaN)]
    public void PublicConstructor_TreesAsTrained_ScoreAsTheFlatArrays(float f0, float f1)
    {
        // The same two trees as CreateSut, each with its own node and leaf numbering, as a trainer hands them over.
        var trees = new[]
        {
            new DecisionTree([0, 1], [1f, 5f], [1, ~0], [~2, ~1], [10d, 20d, 30d]),
            new DecisionTree([], [], [], [], [0.25d]),
        };
        var sut = new CompiledTreeEnsemble(2, 0.5, trees);

        Assert.Equal(CreateSut().Score([f0, f1]), sut.Score([f0, f1]), 12);
        Assert.Equal(2, sut.TreeCount);
    }

    [Fact]
    public void DecisionTree_Malformed_IsRefusedNamingTheArgument()
    {
        Assert.Equal("leafValues", Assert.Throws<ArgumentException>(() => new DecisionTree([0], [1f], [~0], [~1], [1d])).ParamName);
        Assert.Equal("leftChild", Assert.Throws<ArgumentException>(() => new DecisionTree([0, 1], [1f, 1f], [0, ~0], [1, ~1], [1d, 2d, 3d])).ParamName);
        Assert.Equal("rightChild", Assert.Throws<ArgumentException>(() => new DecisionTree([0], [1f], [~0], [~7], [1d, 2d])).ParamName);
        Assert.Equal("thresholds", Assert.Throws<ArgumentException>(() => new DecisionTree([0], [], [~0], [~1], [1d, 2d])).ParamName);
        Assert.Equal("trees", Assert.Throws<ArgumentException>(() => new CompiledTreeEnsemble(2, 0, Array.Empty<DecisionTree>())).ParamName);
        Assert.Contains("feature 2", Assert.Throws<ArgumentException>(() => new CompiledTreeEnsemble(2, 0, [new DecisionTree([2], [1f], [~0], [~1], [1d, 2d])])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_ChildBeforeParent_IsRefused()
    {
        // Node 1 points back at node 0: a cycle, which scoring could never leave.
        var ex = Assert.Throws<ArgumentException>(() => new CompiledTreeEnsemble(2, 0, [0], [0, 1], [1f, 1f], [1, 0], [~0, ~1], [1d, 2d]));
        Assert.Contains("does not come after its parent", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_FeatureOutOfRange_IsRefused()
    {
        var ex = Assert.Throws<ArgumentException>(() => new CompiledTreeEnsemble(2, 0, [0], [2], [1f], [~0], [~1], [1d, 2d]));
        Assert.Contains("feature 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_MissingLeaf_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => new CompiledTreeEnsemble(2, 0, [0], [0], [1f], [~0], [~5], [1d, 2d]));
    }

    [Fact]
    public void Score_DoesNotAllocate()
    {
        CompiledTreeEnsemble sut = CreateSut();
        float[] row = [0.5f, 7f];
        double[] batch = new double[1];
        sut.Score(row);
        sut.ScoreBatch(row, batch);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            sut.Score(row);
            sut.ScoreBatch(row, batch);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }
}
