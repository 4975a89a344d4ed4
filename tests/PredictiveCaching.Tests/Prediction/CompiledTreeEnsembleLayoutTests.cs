using PredictiveCaching.Prediction;

namespace PredictiveCaching.Tests.Prediction;

/// <summary>
/// Every bit-set layout against the walk on random ensembles: through its scalar rendition on every machine, and through
/// its vector kernels (single rows, batches of every size from 1 to 300) where the CPU has their instructions.
/// </summary>
public sealed class CompiledTreeEnsembleLayoutTests
{
    public static TheoryData<int, int> Shapes => new()
    {
        { 1, 2 },
        { 3, 11 },
        { 7, 16 },
        { 8, 11 },
        { 13, 16 },
        { 16, 5 },
        { 29, 11 },
        { 29, 16 },
        { 32, 16 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ScalarRenditionOfEveryLayout_MatchesTheWalk(int features, int maxLeaves)
    {
        CompiledTreeEnsemble walk = RandomEnsemble(features + maxLeaves, features, 37, maxLeaves, ScoringLayout.Walk);
        float[] rows = RandomRows(features * maxLeaves, walk, 2000);
        foreach (ScoringLayout layout in new[] { ScoringLayout.Vector512, ScoringLayout.Vector256 })
        {
            CompiledTreeEnsemble sut = RandomEnsemble(features + maxLeaves, features, 37, maxLeaves, layout);
            Assert.Equal(layout, sut.BuiltLayout);
            for (int r = 0; r < 2000; r++)
            {
                ReadOnlySpan<float> row = rows.AsSpan(r * features, features);
                double expected = walk.Score(row);
                Assert.Equal(expected, sut.ScoreBitSetsScalar(row), 1e-9);
                Assert.Equal(expected, sut.ScoreBitSetBlocksScalar(row), 1e-9);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void EveryLayoutThisCpuRuns_RowsAndBatchesOfEverySize_MatchTheWalk(int features, int maxLeaves)
    {
        CompiledTreeEnsemble walk = RandomEnsemble(features + maxLeaves, features, 37, maxLeaves, ScoringLayout.Walk);
        Assert.Equal(ScoringLayout.Walk, walk.Layout);
        const int Rows = 300;
        float[] rows = RandomRows(features + (31 * maxLeaves), walk, Rows);
        double[] expected = new double[Rows];
        for (int r = 0; r < Rows; r++)
        {
            expected[r] = walk.Score(rows.AsSpan(r * features, features));
        }

        foreach (ScoringLayout layout in new[] { ScoringLayout.Vector512, ScoringLayout.Vector256, ScoringLayout.Walk })
        {
            CompiledTreeEnsemble sut = RandomEnsemble(features + maxLeaves, features, 37, maxLeaves, layout);
            Assert.Equal(CompiledTreeEnsemble.Runs(layout) ? layout : ScoringLayout.Walk, sut.Layout);
            for (int r = 0; r < Rows; r++)
            {
                Assert.Equal(expected[r], sut.Score(rows.AsSpan(r * features, features)), 1e-9);
            }

            // Every length from 1 to 300: no 64-row pass, passes of 32 to 64 rows, a tail row by row, the 64/256 edges.
            double[] batch = new double[Rows];
            for (int length = 1; length <= Rows; length++)
            {
                Array.Clear(batch);
                sut.ScoreBatch(rows.AsSpan(0, length * features), batch.AsSpan(0, length));
                for (int r = 0; r < length; r++)
                {
                    Assert.Equal(expected[r], batch[r], 1e-9);
                }
            }
        }
    }

    [Fact]
    public void TooManyLeavesOrFeatures_BuildsNoBitSetLayout()
    {
        Assert.Equal(ScoringLayout.Walk, RandomEnsemble(1, 33, 5, 16, ScoringLayout.Vector256).BuiltLayout);
        Assert.Equal(ScoringLayout.Walk, RandomEnsemble(1, 33, 5, 16, ScoringLayout.Vector512).BuiltLayout);

        // 17 leaves: build trees until one has more than 16.
        CompiledTreeEnsemble big = RandomEnsemble(2, 10, 40, 17, ScoringLayout.Vector256, minLeaves: 17);
        Assert.Equal(ScoringLayout.Walk, big.BuiltLayout);
        Assert.Equal(ScoringLayout.Walk, big.Layout);
        Assert.Throws<InvalidOperationException>(() => big.ScoreBitSetsScalar(new float[10]));
    }

    [Fact]
    public void DefaultConstructor_TakesTheWidestLayoutThisCpuRuns()
    {
        ScoringLayout expected = CompiledTreeEnsemble.Runs(ScoringLayout.Vector512) ? ScoringLayout.Vector512
            : CompiledTreeEnsemble.Runs(ScoringLayout.Vector256) ? ScoringLayout.Vector256
            : ScoringLayout.Walk;
        Assert.Equal(expected, CompiledTreeEnsembleTests.CreateSut().Layout);
    }

    /// <summary>
    /// Random trees of 1 to <paramref name="maxLeaves"/> leaves over <paramref name="features"/> features, thresholds on
    /// a grid of tenths so that rows hit them exactly (the inclusive side of <c>&lt;=</c>).
    /// </summary>
    internal static CompiledTreeEnsemble RandomEnsemble(int seed, int features, int trees, int maxLeaves, ScoringLayout layout, int minLeaves = 1)
    {
        var random = new Random(seed);
        var splitFeatures = new List<int>();
        var thresholds = new List<float>();
        var left = new List<int>();
        var right = new List<int>();
        var leaves = new List<double>();
        int[] roots = new int[trees];
        for (int t = 0; t < trees; t++)
        {
            roots[t] = Build(random.Next(minLeaves, maxLeaves + 1));
        }

        return new CompiledTreeEnsemble(features, 0.25, roots, [.. splitFeatures], [.. thresholds], [.. left], [.. right], [.. leaves], layout);

        int Build(int leafCount)
        {
            if (leafCount == 1)
            {
                leaves.Add((random.NextDouble() * 2d) - 1d);
                return ~(leaves.Count - 1);
            }

            int node = splitFeatures.Count;
            splitFeatures.Add(random.Next(features));
            thresholds.Add(random.Next(0, 100) / 10f);
            left.Add(0);
            right.Add(0);
            int onLeft = random.Next(1, leafCount);
            left[node] = Build(onLeft);
            right[node] = Build(leafCount - onLeft);
            return node;
        }
    }

    /// <summary>Rows on the thresholds' grid and off it, with NaNs, infinities and negative values.</summary>
    internal static float[] RandomRows(int seed, CompiledTreeEnsemble ensemble, int count)
    {
        var random = new Random(seed);
        int features = ensemble.FeatureCount;
        float[] rows = new float[count * features];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = random.Next(20) switch
            {
                0 => float.NaN,
                1 => float.PositiveInfinity,
                2 => float.NegativeInfinity,
                3 => -1f,
                < 10 => random.Next(0, 100) / 10f,
                _ => (float)(random.NextDouble() * 10d),
            };
        }

        return rows;
    }
}
