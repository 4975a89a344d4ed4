using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PredictiveCaching.Prediction;

/// <summary>
/// The AVX-512 scoring layout: sixteen trees side by side, one per vector lane, and every split of every tree evaluated,
/// no walk at all. It is used when the CPU has AVX-512 (F and CD), rows have at most 32 features and no tree has more
/// than 16 leaves — which the default hyper-parameters guarantee (depth ≤ 10 means at most 11 leaves).
/// </summary>
/// <remarks>
/// <para>
/// A tree's leaves are numbered left to right and a lane holds the set of its tree's leaves still possible, all at
/// first. A split whose row goes right (<c>!(x &lt;= t)</c>, so a NaN goes right) rules out every leaf of its left
/// subtree, a contiguous range: the lane is ANDed with that range's complement. After all splits the lowest leaf left
/// is the one the walk would reach (QuickScorer, Lucchese et al., SIGIR 2015: every leaf left of the exit leaf lies in
/// the left subtree of a split on the path that went right, and the exit leaf is in no such subtree).
/// </para>
/// <para>
/// Slot <c>s</c> of a group holds the <c>s</c>-th split of each of its sixteen trees, so one step is a feature permute
/// (the row sits in two registers), a compare and an AND for sixteen splits at once, with no data-dependent branch and
/// no dependent load. A slot is one 32-bit word per lane: the leaf mask in the high 16 bits and the feature's register
/// position in the low 5 (the only bits the permute reads), so a step loads it once for both. A group has as many
/// slots as its largest tree has splits; trees are sorted by split count so groups are even, and a smaller tree is
/// padded with splits that rule nothing out. Leaf values are gathered per group (<c>table[leaf][lane]</c>). The arrays
/// are pinned and start on a 64-byte boundary, so no vector load straddles two cache lines.
/// </para>
/// </remarks>
public sealed partial class CompiledTreeEnsemble
{
    private const int VectorLanes = 16;
    private const int MaxVectorFeatures = 32;
    private const int MaxVectorLeaves = 16;
    private const uint LeafBits = 0xFFFF_0000;

    // Batches score 64 rows per pass over the trees; a pass of at least 32 real rows beats scoring them one by one.
    private const int BlockRows = 64;
    private const int MinBlockRows = 32;

    // The AVX-512 arrays when they were asked for and the trees fit, and the same when this CPU also runs them.
    private readonly VectorLayout? _built512;
    private readonly VectorLayout? _vector;

    /// <summary>Gets whether rows are scored with a bit-set layout (AVX-512 or AVX2) rather than the tree walk.</summary>
    internal bool IsVectorized => Layout != ScoringLayout.Walk;

    private static bool Vector512Hardware =>
        Avx512F.IsSupported && Avx512CD.IsSupported && Avx2.IsSupported && Vector512.IsHardwareAccelerated;

    private VectorLayout? BuildVector(int[] roots, int[] splitFeatures, float[] thresholds, int[] left, int[] right, double[] leafValues)
    {
        TreeShape[]? shapes = VectorShapes(roots, left, right);
        if (shapes is null)
        {
            return null;
        }

        int trees = roots.Length;

        int[] order = new int[trees];
        int[] splitCounts = new int[trees];
        for (int t = 0; t < trees; t++)
        {
            order[t] = t;
            splitCounts[t] = shapes[t].Splits.Count;
        }

        Array.Sort(splitCounts, order);
        int groups = (trees + VectorLanes - 1) / VectorLanes;
        int[] slotCounts = new int[groups];
        int[] leafCounts = new int[groups];
        int totalSlots = 0;
        int totalLeafRows = 0;
        for (int g = 0; g < groups; g++)
        {
            int end = Math.Min(trees, (g + 1) * VectorLanes);
            slotCounts[g] = splitCounts[end - 1];
            int most = 1;
            for (int i = g * VectorLanes; i < end; i++)
            {
                most = Math.Max(most, shapes[order[i]].Leaves.Count);
            }

            leafCounts[g] = most;
            totalSlots += slotCounts[g];
            totalLeafRows += most;
        }

        var slots = new AlignedArray<uint>(totalSlots * VectorLanes, LeafBits);
        var limits = new AlignedArray<float>(totalSlots * VectorLanes, float.PositiveInfinity);
        var values = new AlignedArray<double>(totalLeafRows * VectorLanes, 0d);
        int slotBase = 0;
        int leafRowBase = 0;
        for (int g = 0; g < groups; g++)
        {
            for (int lane = 0; lane < VectorLanes; lane++)
            {
                int i = (g * VectorLanes) + lane;
                if (i >= trees)
                {
                    break;
                }

                TreeShape shape = shapes[order[i]];
                for (int k = 0; k < shape.Leaves.Count; k++)
                {
                    values[((leafRowBase + k) * VectorLanes) + lane] = leafValues[shape.Leaves[k]];
                }

                for (int s = 0; s < shape.Splits.Count; s++)
                {
                    (int node, int firstLeft, int lastLeft) = shape.Splits[s];
                    int cell = ((slotBase + s) * VectorLanes) + lane;
                    slots[cell] = (~RangeBits(firstLeft, lastLeft) << 16) | (uint)PermuteIndex(splitFeatures[node], FeatureCount);
                    limits[cell] = thresholds[node];
                }
            }

            slotBase += slotCounts[g];
            leafRowBase += leafCounts[g];
        }

        return new VectorLayout(trees, slotCounts, leafCounts, slots, limits, values, BuildRowLanes(shapes, splitFeatures, thresholds, leafValues));
    }

    /// <summary>Each tree's shape, or <see langword="null"/> when the rows or a tree are too big for a bit-set layout.</summary>
    private TreeShape[]? VectorShapes(int[] roots, int[] left, int[] right)
    {
        if (FeatureCount > MaxVectorFeatures)
        {
            return null;
        }

        var shapes = new TreeShape[roots.Length];
        for (int t = 0; t < roots.Length; t++)
        {
            TreeShape? shape = TreeShape.Of(roots[t], left, right, MaxVectorLeaves);
            if (shape is null)
            {
                return null;
            }

            shapes[t] = shape;
        }

        return shapes;
    }

    /// <summary>The batch layout: tree after tree, each split once (feature, threshold, leaf mask), each tree's leaves padded to 16.</summary>
    private static RowLaneLayout BuildRowLanes(TreeShape[] shapes, int[] splitFeatures, float[] thresholds, double[] leafValues)
    {
        int splits = 0;
        foreach (TreeShape shape in shapes)
        {
            splits += shape.Splits.Count;
        }

        int[] splitCounts = new int[shapes.Length];
        int[] features = new int[splits];
        float[] limits = new float[splits];
        uint[] masks = new uint[splits];
        var values = new AlignedArray<double>(shapes.Length * MaxVectorLeaves, 0d);
        int next = 0;
        for (int t = 0; t < shapes.Length; t++)
        {
            TreeShape shape = shapes[t];
            splitCounts[t] = shape.Splits.Count;
            foreach ((int node, int firstLeft, int lastLeft) in shape.Splits)
            {
                features[next] = splitFeatures[node] * BlockRows;
                limits[next] = thresholds[node];
                masks[next] = ~RangeBits(firstLeft, lastLeft);
                next++;
            }

            for (int k = 0; k < shape.Leaves.Count; k++)
            {
                values[(t * MaxVectorLeaves) + k] = leafValues[shape.Leaves[k]];
            }
        }

        return new RowLaneLayout(splitCounts, features, limits, masks, values);
    }

    private static uint RangeBits(int first, int last) => ((2u << last) - 1u) & ~((1u << first) - 1u);

    /// <summary>
    /// Where feature <paramref name="feature"/> sits in the (low, high) register pair a row is loaded into. With 16 or
    /// more features the high register is the row's last 16 values (an overlapping load, no copy), so feature f ≥ 16 is
    /// at f − (count − 16) in it; with fewer the row is copied into a zero-padded buffer and f is simply f.
    /// </summary>
    private static int PermuteIndex(int feature, int featureCount) =>
        featureCount < VectorLanes || feature < VectorLanes ? feature : VectorLanes + feature - (featureCount - VectorLanes);

    /// <summary>Combines the exit leaves' entries of <paramref name="values"/> (a single-row leaf table) over all trees.</summary>
    private static unsafe double CombineVector<TCombine>(VectorLayout layout, double* values, ref float row, int featureCount)
        where TCombine : struct, ILeafCombination
    {
        Vector512<float> low;
        Vector512<float> high;
        if (featureCount >= VectorLanes)
        {
            low = Vector512.LoadUnsafe(ref row);
            high = Vector512.LoadUnsafe(ref row, (nuint)(featureCount - VectorLanes));
        }
        else
        {
            // Fewer than 16 features: a full-width load would read past the row, so copy it into a padded buffer.
            Padded16 padded = default;
            Unsafe.CopyBlockUnaligned(
                ref Unsafe.As<float, byte>(ref padded[0]),
                ref Unsafe.As<float, byte>(ref row),
                (uint)(featureCount * sizeof(float)));
            low = Vector512.LoadUnsafe(ref padded[0]);
            high = low;
        }

        uint* slots = layout.Slots.Pointer;
        float* limits = layout.Thresholds.Pointer;
        int[] slotCounts = layout.SlotCounts;
        int[] leafCounts = layout.LeafCounts;
        Vector512<int> lanes = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        // Gathers fill 256-bit registers: four 256-bit accumulators, never a 512-bit register assembled from halves.
        Vector256<double> sum0 = TCombine.Identity256, sum1 = sum0, sum2 = sum0, sum3 = sum0;
        for (int g = 0; g < slotCounts.Length; g++)
        {
            // Two slots per iteration into two sets (ANDed after): half the loop overhead, two independent chains.
            Vector512<uint> alive = Vector512<uint>.AllBitsSet;
            Vector512<uint> alsoAlive = alive;
            nuint end = (nuint)(slotCounts[g] * VectorLanes);
            nuint cell = 0;
            for (; cell + VectorLanes < end; cell += 2 * VectorLanes)
            {
                alive = RuleOut(alive, slots, limits, cell, low, high);
                alsoAlive = RuleOut(alsoAlive, slots, limits, cell + VectorLanes, low, high);
            }

            if (cell < end)
            {
                alive = RuleOut(alive, slots, limits, cell, low, high);
            }

            alive &= alsoAlive;
            slots += end;
            limits += end;

            // The exit leaf k is the lowest leaf bit left, bit 16 + k, whose leading zero count is 15 − k.
            Vector512<uint> leaves = alive & Vector512.Create(LeafBits);
            Vector512<uint> lowest = leaves & (Vector512<uint>.Zero - leaves);
            Vector512<int> leaf = Vector512.Create(15) - Avx512CD.LeadingZeroCount(lowest).AsInt32();
            Vector512<int> index = (leaf << 4) + lanes;
            // A gather per four lanes that hold a tree: the last group is usually part padding, and gathers are costly.
            int trees = Math.Min(VectorLanes, layout.Trees - (g * VectorLanes));
            sum0 = TCombine.Combine(sum0, Avx2.GatherVector256(values, index.GetLower().GetLower(), sizeof(double)));
            if (trees > 4)
            {
                sum1 = TCombine.Combine(sum1, Avx2.GatherVector256(values, index.GetLower().GetUpper(), sizeof(double)));
                if (trees > 8)
                {
                    sum2 = TCombine.Combine(sum2, Avx2.GatherVector256(values, index.GetUpper().GetLower(), sizeof(double)));
                    if (trees > 12)
                    {
                        sum3 = TCombine.Combine(sum3, Avx2.GatherVector256(values, index.GetUpper().GetUpper(), sizeof(double)));
                    }
                }
            }

            values += leafCounts[g] * VectorLanes;
        }

        return TCombine.Reduce(TCombine.Combine(TCombine.Combine(sum0, sum1), TCombine.Combine(sum2, sum3)));
    }

    /// <summary>
    /// One slot of sixteen splits: fetches each split's feature from the row (a permute over the two registers), and
    /// where the row goes right (<c>!(x &lt;= t)</c>, NaN included) ANDs the lane with the split's leaf mask.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector512<uint> RuleOut(Vector512<uint> alive, uint* slots, float* limits, nuint cell, Vector512<float> low, Vector512<float> high)
    {
        Vector512<uint> slot = Vector512.LoadAligned(slots + cell);
        Vector512<float> x = Avx512F.PermuteVar16x32x2(low, slot.AsInt32(), high);
        Vector512<uint> goesRight = Avx512F.CompareNotLessThanOrEqual(x, Vector512.LoadAligned(limits + cell)).AsUInt32();
        return Vector512.ConditionalSelect(goesRight, alive & slot, alive);
    }

    /// <summary>
    /// Scores rows 64 at a time, one row per lane in four registers, tree after tree: the rows are transposed so that one
    /// load brings a feature of sixteen rows, each split is a compare against its broadcast threshold and an AND with its
    /// broadcast leaf mask, and a tree's sixteen leaf values sit in two registers, so the exit leaves are picked by
    /// permutes. A split's scalar work (its feature, threshold and mask) is shared by the 64 rows.
    /// </summary>
    /// <returns>How many rows were scored; the caller scores the rest (fewer than <see cref="MinBlockRows"/>) one by one.</returns>
    private unsafe int CombineBlocks<TCombine>(RowLaneLayout layout, double* leafTable, ReadOnlySpan<float> rows, Span<double> destination)
        where TCombine : struct, ILeafCombination
    {
        int width = FeatureCount;
        int count = destination.Length;
        int done = 0;
        if (count < MinBlockRows)
        {
            return 0;
        }

        // Feature-major copy of up to 64 rows, 64-byte aligned: transposed[f * 64 + r] = rows[r][f]. Rows past the end
        // of the batch are zeros and their scores are dropped.
        float* buffer = stackalloc float[(MaxVectorFeatures * BlockRows) + VectorLanes];
        float* transposed = (float*)(((nuint)buffer + 63) & ~(nuint)63);
        Span<double> scores = stackalloc double[BlockRows];
        ref int features = ref MemoryMarshal.GetArrayDataReference(layout.Features);
        ref float limits = ref MemoryMarshal.GetArrayDataReference(layout.Thresholds);
        ref uint masks = ref MemoryMarshal.GetArrayDataReference(layout.Masks);
        int[] splitCounts = layout.SplitCounts;
        fixed (float* source = rows)
        {
            while (count - done >= MinBlockRows)
            {
                int take = Math.Min(BlockRows, count - done);
                Transpose(source + (done * width), take, width, transposed);

                Vector512<double> sum0 = TCombine.Identity512, sum1 = sum0, sum2 = sum0, sum3 = sum0;
                Vector512<double> sum4 = sum0, sum5 = sum0, sum6 = sum0, sum7 = sum0;
                nuint split = 0;
                double* values = leafTable;
                for (int t = 0; t < splitCounts.Length; t++)
                {
                    Vector512<uint> alive0 = Vector512<uint>.AllBitsSet, alive1 = alive0, alive2 = alive0, alive3 = alive0;
                    for (int s = splitCounts[t]; s > 0; s--)
                    {
                        float* x = transposed + Unsafe.Add(ref features, split);
                        Vector512<float> limit = Vector512.Create(Unsafe.Add(ref limits, split));
                        Vector512<uint> mask = Vector512.Create(Unsafe.Add(ref masks, split));
                        alive0 &= mask | Vector512.LessThanOrEqual(Vector512.LoadAligned(x), limit).AsUInt32();
                        alive1 &= mask | Vector512.LessThanOrEqual(Vector512.LoadAligned(x + 16), limit).AsUInt32();
                        alive2 &= mask | Vector512.LessThanOrEqual(Vector512.LoadAligned(x + 32), limit).AsUInt32();
                        alive3 &= mask | Vector512.LessThanOrEqual(Vector512.LoadAligned(x + 48), limit).AsUInt32();
                        split++;
                    }

                    Vector512<double> low = Vector512.LoadAligned(values);
                    Vector512<double> high = Vector512.LoadAligned(values + 8);
                    (Vector512<double> a, Vector512<double> b) = ExitValues(alive0, low, high);
                    sum0 = TCombine.Combine(sum0, a);
                    sum1 = TCombine.Combine(sum1, b);
                    (a, b) = ExitValues(alive1, low, high);
                    sum2 = TCombine.Combine(sum2, a);
                    sum3 = TCombine.Combine(sum3, b);
                    (a, b) = ExitValues(alive2, low, high);
                    sum4 = TCombine.Combine(sum4, a);
                    sum5 = TCombine.Combine(sum5, b);
                    (a, b) = ExitValues(alive3, low, high);
                    sum6 = TCombine.Combine(sum6, a);
                    sum7 = TCombine.Combine(sum7, b);
                    values += MaxVectorLeaves;
                }

                sum0.StoreUnsafe(ref scores[0]);
                sum1.StoreUnsafe(ref scores[8]);
                sum2.StoreUnsafe(ref scores[16]);
                sum3.StoreUnsafe(ref scores[24]);
                sum4.StoreUnsafe(ref scores[32]);
                sum5.StoreUnsafe(ref scores[40]);
                sum6.StoreUnsafe(ref scores[48]);
                sum7.StoreUnsafe(ref scores[56]);
                scores[..take].CopyTo(destination[done..]);
                done += take;
            }
        }

        return done;
    }

    /// <summary>
    /// Copies <paramref name="take"/> rows feature-major into <paramref name="transposed"/>: <c>transposed[f * 64 + r] =
    /// rows[r][f]</c>, rows past <paramref name="take"/> zero (their scores are dropped).
    /// </summary>
    private static unsafe void Transpose(float* block, int take, int width, float* transposed)
    {
        for (int f = 0; f < width; f++)
        {
            float* column = transposed + (f * BlockRows);
            int r = 0;
            for (; r < take; r++)
            {
                column[r] = block[(r * width) + f];
            }

            for (; r < BlockRows; r++)
            {
                column[r] = 0f;
            }
        }
    }

    /// <summary>The values of sixteen rows' exit leaves (the lowest bit left, 31 − its leading zero count) in one tree.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<double> Low, Vector512<double> High) ExitValues(Vector512<uint> alive, Vector512<double> low, Vector512<double> high)
    {
        Vector512<uint> lowest = alive & (Vector512<uint>.Zero - alive);
        Vector512<uint> leaf = Vector512.Create(31u) - Avx512CD.LeadingZeroCount(lowest);
        return (
            Avx512F.PermuteVar8x64x2(low, Avx512F.ConvertToVector512UInt64(leaf.GetLower()).AsInt64(), high),
            Avx512F.PermuteVar8x64x2(low, Avx512F.ConvertToVector512UInt64(leaf.GetUpper()).AsInt64(), high));
    }

    /// <summary>
    /// Leaf tables for <see cref="TreeModel"/>'s calibrated probability: every leaf value v replaced by exp(slope × v),
    /// so that exp(slope × score + offset) is <see cref="Factor"/> times the product of the exit leaves' entries, and
    /// the probability 1 / (1 + that) needs no call to exp. Padding entries become exp(0) = 1, the product's identity.
    /// </summary>
    internal sealed class ExponentiatedLeaves
    {
        internal ExponentiatedLeaves(AlignedArray<double> rowTable, AlignedArray<double> blockTable, AlignedArray<float>? splitBlockTable, double factor)
        {
            RowTable = rowTable;
            BlockTable = blockTable;
            SplitBlockTable = splitBlockTable;
            Factor = factor;
        }

        internal AlignedArray<double> RowTable { get; }

        internal AlignedArray<double> BlockTable { get; }

        /// <summary>Gets <see cref="BlockTable"/> as the AVX2 batch layout reads it (see <see cref="SplitLeaves"/>), or <see langword="null"/> for AVX-512.</summary>
        internal AlignedArray<float>? SplitBlockTable { get; }

        /// <summary>Gets exp(slope × bias + offset).</summary>
        internal double Factor { get; }
    }

    /// <summary>
    /// Builds the exponentiated leaf tables for a Platt calibration, or returns <see langword="null"/> when scoring does
    /// not use a bit-set layout or a product could leave the range of a double (|slope × leaf| × trees above 700).
    /// </summary>
    internal ExponentiatedLeaves? ExponentiateLeaves(PlattCalibration calibration)
    {
        if (Layout == ScoringLayout.Walk)
        {
            return null;
        }

        double largest = 0d;
        foreach (double value in _leafValues)
        {
            largest = Math.Max(largest, Math.Abs(calibration.Slope * value));
        }

        double factor = Math.Exp((calibration.Slope * Bias) + calibration.Offset);
        if (largest * TreeCount > 700d || !double.IsFinite(factor) || factor == 0d || (_vector is null && !SplitExponentFits(largest)))
        {
            return null;
        }

        double slope = calibration.Slope;
        if (_vector is { } layout)
        {
            return new ExponentiatedLeaves(
                layout.LeafValues.Map(v => Math.Exp(slope * v)),
                layout.Blocks.LeafValues.Map(v => Math.Exp(slope * v)),
                null,
                factor);
        }

        Vector256Layout narrow = _vector256!;
        AlignedArray<double> blockTable = narrow.Blocks.LeafValues.Map(v => Math.Exp(slope * v));
        return new ExponentiatedLeaves(narrow.LeafValues.Map(v => Math.Exp(slope * v)), blockTable, SplitLeaves(blockTable), factor);
    }

    /// <summary>The calibrated probability of one row from exponentiated leaves (see <see cref="ExponentiatedLeaves"/>).</summary>
    internal unsafe double Probability(ReadOnlySpan<float> features, ExponentiatedLeaves leaves)
    {
        if (features.Length != FeatureCount)
        {
            ThrowLength(features.Length, FeatureCount, nameof(features));
        }

        ref float row = ref MemoryMarshal.GetReference(features);
        double exponential = _vector is { } layout
            ? CombineVector<Product>(layout, leaves.RowTable.Pointer, ref row, FeatureCount)
            : Combine256<Product>(_vector256!, leaves.RowTable.Pointer, ref row, FeatureCount);
        return 1d / (1d + (leaves.Factor * exponential));
    }

    /// <summary>The calibrated probabilities of a batch of rows from exponentiated leaves.</summary>
    internal unsafe void Probabilities(ReadOnlySpan<float> rows, Span<double> destination, ExponentiatedLeaves leaves)
    {
        int count = destination.Length;
        if (rows.Length != count * FeatureCount)
        {
            ThrowLength(rows.Length, count * FeatureCount, nameof(rows));
        }

        ref float first = ref MemoryMarshal.GetReference(rows);
        if (_vector is { } layout)
        {
            int done = CombineBlocks<Product>(layout.Blocks, leaves.BlockTable.Pointer, rows, destination);
            for (int r = done; r < count; r++)
            {
                destination[r] = CombineVector<Product>(layout, leaves.RowTable.Pointer, ref Unsafe.Add(ref first, r * FeatureCount), FeatureCount);
            }
        }
        else
        {
            Vector256Layout narrow = _vector256!;
            int done = CombineBlocks256<Product>(narrow.Blocks, leaves.SplitBlockTable!.Pointer, rows, destination);
            for (int r = done; r < count; r++)
            {
                destination[r] = Combine256<Product>(narrow, leaves.RowTable.Pointer, ref Unsafe.Add(ref first, r * FeatureCount), FeatureCount);
            }
        }

        double factor = leaves.Factor;
        for (int r = 0; r < count; r++)
        {
            destination[r] = 1d / (1d + (factor * destination[r]));
        }
    }

    private unsafe double ScoreVector(VectorLayout layout, ref float row) =>
        Bias + CombineVector<Sum>(layout, layout.LeafValues.Pointer, ref row, FeatureCount);

    /// <summary>Scores as many rows as the batch layout takes; the caller scores the rest one by one.</summary>
    private unsafe int ScoreBlocks(VectorLayout layout, ReadOnlySpan<float> rows, Span<double> destination)
    {
        int done = CombineBlocks<Sum>(layout.Blocks, layout.Blocks.LeafValues.Pointer, rows, destination);
        for (int r = 0; r < done; r++)
        {
            destination[r] += Bias;
        }

        return done;
    }

    /// <summary>How the exit leaves' entries of all trees combine: summed (scores) or multiplied (exponentiated leaves).</summary>
    private interface ILeafCombination
    {
        static abstract Vector256<double> Identity256 { get; }

        static abstract Vector512<double> Identity512 { get; }

        static abstract Vector256<double> Combine(Vector256<double> left, Vector256<double> right);

        static abstract Vector512<double> Combine(Vector512<double> left, Vector512<double> right);

        static abstract double Reduce(Vector256<double> value);
    }

    private readonly struct Sum : ILeafCombination
    {
        public static Vector256<double> Identity256 => Vector256<double>.Zero;

        public static Vector512<double> Identity512 => Vector512<double>.Zero;

        public static Vector256<double> Combine(Vector256<double> left, Vector256<double> right) => left + right;

        public static Vector512<double> Combine(Vector512<double> left, Vector512<double> right) => left + right;

        public static double Reduce(Vector256<double> value) => Vector256.Sum(value);
    }

    private readonly struct Product : ILeafCombination
    {
        public static Vector256<double> Identity256 => Vector256<double>.One;

        public static Vector512<double> Identity512 => Vector512<double>.One;

        public static Vector256<double> Combine(Vector256<double> left, Vector256<double> right) => left * right;

        public static Vector512<double> Combine(Vector512<double> left, Vector512<double> right) => left * right;

        public static double Reduce(Vector256<double> value) =>
            value.GetElement(0) * value.GetElement(1) * (value.GetElement(2) * value.GetElement(3));
    }

    [InlineArray(VectorLanes)]
    private struct Padded16
    {
        private float _element;
    }

    private sealed record VectorLayout(int Trees, int[] SlotCounts, int[] LeafCounts, AlignedArray<uint> Slots, AlignedArray<float> Thresholds, AlignedArray<double> LeafValues, RowLaneLayout Blocks);

    private sealed record RowLaneLayout(int[] SplitCounts, int[] Features, float[] Thresholds, uint[] Masks, AlignedArray<double> LeafValues);

    /// <summary>
    /// A pinned array whose elements start on a 64-byte boundary. Pinned, the array never moves, so the pointer stays
    /// valid for as long as this object is reachable (the ensemble holds it).
    /// </summary>
    internal sealed unsafe class AlignedArray<T>
        where T : unmanaged
    {
        private const int Alignment = 64;
        private readonly T[] _storage;
        private readonly int _offset;

        public AlignedArray(int length, T fill)
        {
            _storage = GC.AllocateArray<T>(length + (Alignment / sizeof(T)), pinned: true);
            nuint address = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_storage));
            _offset = (int)(((Alignment - (address % Alignment)) % Alignment) / (nuint)sizeof(T));
            _storage.AsSpan(_offset, length).Fill(fill);
            Pointer = (T*)Unsafe.AsPointer(ref _storage[_offset]);
        }

        public T* Pointer { get; }

        public int Length => _storage.Length - (Alignment / sizeof(T));

        public ref T this[int index] => ref _storage[_offset + index];

        public AlignedArray<T> Map(Func<T, T> map)
        {
            var mapped = new AlignedArray<T>(Length, default);
            for (int i = 0; i < Length; i++)
            {
                mapped[i] = map(this[i]);
            }

            return mapped;
        }
    }

    /// <summary>One tree's leaves left to right, and each split with the range of leaves its left subtree holds.</summary>
    private sealed class TreeShape
    {
        private readonly int _maxLeaves;

        private TreeShape(int maxLeaves) => _maxLeaves = maxLeaves;

        public List<int> Leaves { get; } = [];

        public List<(int Node, int FirstLeft, int LastLeft)> Splits { get; } = [];

        /// <returns>The shape, or <see langword="null"/> when the tree has more than <paramref name="maxLeaves"/> leaves.</returns>
        public static TreeShape? Of(int root, int[] left, int[] right, int maxLeaves)
        {
            var shape = new TreeShape(maxLeaves);
            shape.Visit(root, left, right);
            return shape.Leaves.Count <= maxLeaves ? shape : null;
        }

        private void Visit(int child, int[] left, int[] right)
        {
            // Too many leaves for a lane: stop early, which also bounds the recursion by the depth of a small tree.
            if (Leaves.Count > _maxLeaves)
            {
                return;
            }

            if (child < 0)
            {
                Leaves.Add(~child);
                return;
            }

            int first = Leaves.Count;
            Visit(left[child], left, right);
            Splits.Add((child, first, Leaves.Count - 1));
            Visit(right[child], left, right);
        }
    }
}
