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
    public void Avx2Layout_GroupsTreesByTheRegisterBlockTheySplitOn()
    {
        // Sixteen chains of three splits over 16 features, alternating between block 0 (features 0-2) and block 1
        // (features 8-10). Grouped in the given order, each group of eight would run 3 slots per block, 12 in all;
        // grouped by block, each group runs 3.
        const int Trees = 16, Splits = 3;
        int[] roots = new int[Trees], features = new int[Trees * Splits], left = new int[Trees * Splits], right = new int[Trees * Splits];
        float[] thresholds = new float[Trees * Splits];
        double[] leaves = new double[Trees * (Splits + 1)];
        for (int t = 0; t < Trees; t++)
        {
            roots[t] = t * Splits;
            for (int s = 0; s < Splits; s++)
            {
                int node = (t * Splits) + s;
                features[node] = (t % 2 == 0 ? 0 : 8) + s;
                thresholds[node] = 0.25f * (s + 1);
                left[node] = ~((t * (Splits + 1)) + s);
                right[node] = s == Splits - 1 ? ~((t * (Splits + 1)) + Splits) : node + 1;
            }

            for (int l = 0; l <= Splits; l++)
            {
                leaves[(t * (Splits + 1)) + l] = (t + 1) * 0.01 * (l - 1.5);
            }
        }

        var sut = new CompiledTreeEnsemble(16, 0.1, roots, features, thresholds, left, right, leaves, ScoringLayout.Vector256);
        var walk = new CompiledTreeEnsemble(16, 0.1, roots, features, thresholds, left, right, leaves, ScoringLayout.Walk);
        Assert.Equal(ScoringLayout.Vector256, sut.BuiltLayout);
        Assert.Equal(2 * Splits, sut.Vector256SlotCount);
        var random = new Random(11);
        float[] row = new float[16];
        for (int r = 0; r < 500; r++)
        {
            for (int f = 0; f < row.Length; f++)
            {
                row[f] = (float)random.NextDouble();
            }

            Assert.Equal(walk.Score(row), sut.ScoreBitSetsScalar(row), 1e-12);
            Assert.Equal(walk.Score(row), sut.ScoreBitSetBlocksScalar(row), 1e-12);
            Assert.Equal(walk.Score(row), sut.Score(row), 1e-12);
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
