using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PredictiveCaching.Prediction;

/// <summary>
/// The AVX2 scoring layout: the same QuickScorer bit sets as the AVX-512 layout (CompiledTreeEnsemble.Vector.cs), eight
/// trees per 256-bit vector, for CPUs with AVX2 but not AVX-512. Same limits: rows of at most 32 features, trees of at
/// most 16 leaves.
/// </summary>
/// <remarks>
/// <para>
/// AVX2 has no two-register permute over 16 floats, so a row is held in four registers of eight features (block b is
/// features 8b..8b+7, the last block an overlapping load ending at the row's last feature, so no copy from 8 features
/// on) and a split fetches its feature with one in-register permute (<c>vpermps</c>) from its block's register. For that
/// a slot must hold, in every lane, a split on a feature of the same block: the bit-set algorithm does not care in what
/// order a tree's splits are applied (ANDs commute), so each tree's splits are grouped by block and a group of eight
/// trees has, per block, as many slots as its tree with the most splits on that block. A slot is a 32-bit word per lane,
/// the leaf mask in the high 16 bits and the feature's position in its register in the low 3 (all <c>vpermps</c>
/// reads); a split is then <c>alive &amp;= slot | (x &lt;= t)</c>. Measured against gathering each split's feature
/// (<c>vpgatherdd</c>), which needs no grouping: see docs/learned-prediction.md.
/// </para>
/// <para>
/// Without AVX-512 CD there is no vector leading-zero count: the exit leaf, the lowest bit left, is isolated
/// (<c>x &amp; -x</c>), converted to float (exact for a power of two) and read from the float's exponent.
/// </para>
/// <para>
/// Batches of 64 rows use the AVX-512 layout's tree-after-tree order, 32 rows at a time (sixteen 256-bit registers:
/// four of bit sets, eight of sums, the rest for the step). With no permute over sixteen doubles, each tree's leaf
/// values are stored as two floats, <c>hi = (float)v</c> and <c>lo = (float)(v − hi)</c> (48 significant bits, so the
/// sum of 100 trees stays within 1e-13 of the walk), picked with <c>vpermps</c> and added as doubles.
/// </para>
/// <para>
/// Vector128 (ARM64 AdvSimd) does not take this layout: it would need a variable in-register shuffle of floats that
/// compiles to one instruction (<c>tbl</c>), and it was neither written nor measured; ARM64 takes the walk.
/// </para>
/// </remarks>
public sealed partial class CompiledTreeEnsemble
{
    private const int Lanes256 = 8;
    private const int MaxBlocks256 = MaxVectorFeatures / Lanes256;
    private const int HalfBlockRows = BlockRows / 2;

    // A leaf value outside this range could not be held as two floats.
    private const double MaxSplitLeaf = 1e37;

    // The exponentiated leaves exp(slope × v) held as two floats stay normal (lo ≥ 2^-126) while |slope × v| ≤ 40.
    private const double MaxSplitExponent = 40d;

    private readonly Vector256Layout? _built256;
    private readonly Vector256Layout? _vector256;

    private static bool Vector256Hardware => Avx2.IsSupported && Vector256.IsHardwareAccelerated;

    private Vector256Layout? BuildVector256(int[] roots, int[] splitFeatures, float[] thresholds, int[] left, int[] right, double[] leafValues)
    {
        TreeShape[]? shapes = VectorShapes(roots, left, right);
        if (shapes is null)
        {
            return null;
        }

        foreach (double value in leafValues)
        {
            if (Math.Abs(value) > MaxSplitLeaf)
            {
                return null;
            }
        }

        int trees = roots.Length;
        int[] perTreeBlock = SplitsPerBlock(shapes, splitFeatures);
        int[] order = GroupByBlocks(shapes, perTreeBlock);
        int groups = (trees + Lanes256 - 1) / Lanes256;
        int[] slotCounts = new int[groups * MaxBlocks256];
        int[] leafCounts = new int[groups];
        int totalSlots = 0;
        int totalLeafRows = 0;
        for (int g = 0; g < groups; g++)
        {
            int most = 1;
            for (int i = g * Lanes256; i < Math.Min(trees, (g + 1) * Lanes256); i++)
            {
                most = Math.Max(most, shapes[order[i]].Leaves.Count);
                for (int b = 0; b < MaxBlocks256; b++)
                {
                    slotCounts[(g * MaxBlocks256) + b] = Math.Max(slotCounts[(g * MaxBlocks256) + b], perTreeBlock[(order[i] * MaxBlocks256) + b]);
                }
            }

            leafCounts[g] = most;
            totalLeafRows += most;
            for (int b = 0; b < MaxBlocks256; b++)
            {
                totalSlots += slotCounts[(g * MaxBlocks256) + b];
            }
        }

        var slots = new AlignedArray<uint>(totalSlots * Lanes256, LeafBits);
        var limits = new AlignedArray<float>(totalSlots * Lanes256, float.PositiveInfinity);
        var values = new AlignedArray<double>(totalLeafRows * Lanes256, 0d);
        int slotBase = 0;
        int leafRowBase = 0;
        Span<int> blockBase = stackalloc int[MaxBlocks256];
        Span<int> perBlock = stackalloc int[MaxBlocks256];
        for (int g = 0; g < groups; g++)
        {
            for (int b = 0, next = slotBase; b < MaxBlocks256; b++)
            {
                blockBase[b] = next;
                next += slotCounts[(g * MaxBlocks256) + b];
            }

            for (int lane = 0; lane < Lanes256; lane++)
            {
                int i = (g * Lanes256) + lane;
                if (i >= trees)
                {
                    break;
                }

                TreeShape shape = shapes[order[i]];
                for (int k = 0; k < shape.Leaves.Count; k++)
                {
                    values[((leafRowBase + k) * Lanes256) + lane] = leafValues[shape.Leaves[k]];
                }

                perBlock.Clear();
                foreach ((int node, int firstLeft, int lastLeft) in shape.Splits)
                {
                    int feature = splitFeatures[node];
                    int b = feature / Lanes256;
                    int cell = ((blockBase[b] + perBlock[b]) * Lanes256) + lane;
                    perBlock[b]++;
                    slots[cell] = (~RangeBits(firstLeft, lastLeft) << 16) | (uint)(feature - BlockStart(b, FeatureCount));
                    limits[cell] = thresholds[node];
                }
            }

            for (int b = 0; b < MaxBlocks256; b++)
            {
                slotBase += slotCounts[(g * MaxBlocks256) + b];
            }

            leafRowBase += leafCounts[g];
        }

        RowLaneLayout blocks = BuildRowLanes(shapes, splitFeatures, thresholds, leafValues);
        return new Vector256Layout(trees, slotCounts, leafCounts, slots, limits, values, blocks, SplitLeaves(blocks.LeafValues));
    }

    /// <summary>How many splits each tree has on each register block: [tree × block].</summary>
    private static int[] SplitsPerBlock(TreeShape[] shapes, int[] splitFeatures)
    {
        int[] perBlock = new int[shapes.Length * MaxBlocks256];
        for (int t = 0; t < shapes.Length; t++)
        {
            foreach ((int node, _, _) in shapes[t].Splits)
            {
                perBlock[(t * MaxBlocks256) + (splitFeatures[node] / Lanes256)]++;
            }
        }

        return perBlock;
    }

    /// <summary>
    /// The order trees take the lanes in, eight to a group. A group runs, per register block, as many slots as its tree
    /// with the most splits on that block, so trees are grouped greedily by where their splits fall: each group starts
    /// from the tree left with the most splits on one block and takes, lane by lane, the tree that adds the fewest slots
    /// (then the one closest in leaf count, so the group's leaf table pads little).
    /// </summary>
    private static int[] GroupByBlocks(TreeShape[] shapes, int[] perBlock)
    {
        int trees = shapes.Length;
        int[] order = new int[trees];
        bool[] placed = new bool[trees];
        Span<int> group = stackalloc int[MaxBlocks256];
        for (int filled = 0; filled < trees;)
        {
            int seed = -1, seedMost = -1;
            for (int t = 0; t < trees; t++)
            {
                int most = placed[t] ? -1 : Most(perBlock.AsSpan(t * MaxBlocks256, MaxBlocks256));
                if (most > seedMost)
                {
                    (seed, seedMost) = (t, most);
                }
            }

            perBlock.AsSpan(seed * MaxBlocks256, MaxBlocks256).CopyTo(group);
            int leaves = shapes[seed].Leaves.Count;
            placed[seed] = true;
            order[filled++] = seed;
            for (int lane = 1; lane < Lanes256 && filled < trees; lane++)
            {
                int best = -1, bestAdded = int.MaxValue, bestLeafGap = int.MaxValue;
                for (int t = 0; t < trees; t++)
                {
                    if (placed[t])
                    {
                        continue;
                    }

                    int added = 0;
                    for (int b = 0; b < MaxBlocks256; b++)
                    {
                        added += Math.Max(0, perBlock[(t * MaxBlocks256) + b] - group[b]);
                    }

                    int leafGap = Math.Abs(shapes[t].Leaves.Count - leaves);
                    if (added < bestAdded || (added == bestAdded && leafGap < bestLeafGap))
                    {
                        (best, bestAdded, bestLeafGap) = (t, added, leafGap);
                    }
                }

                for (int b = 0; b < MaxBlocks256; b++)
                {
                    group[b] = Math.Max(group[b], perBlock[(best * MaxBlocks256) + b]);
                }

                leaves = Math.Max(leaves, shapes[best].Leaves.Count);
                placed[best] = true;
                order[filled++] = best;
            }
        }

        return order;

        static int Most(ReadOnlySpan<int> counts)
        {
            int most = 0;
            foreach (int count in counts)
            {
                most = Math.Max(most, count);
            }

            return most;
        }
    }

    /// <summary>
    /// The first feature of the register block <paramref name="block"/> holds: 8 × block, except that the last register
    /// ends at the row's last feature (an overlapping load) so that no load reads past the row. Rows of fewer than 8
    /// features are copied into a zero-padded register.
    /// </summary>
    private static int BlockStart(int block, int featureCount) =>
        featureCount < Lanes256 ? 0 : Math.Min(block * Lanes256, featureCount - Lanes256);

    /// <summary>
    /// A batch leaf table (16 doubles per tree) as the AVX2 batch reads it: per tree 16 <c>hi</c> floats then 16
    /// <c>lo</c> floats, <c>hi + lo</c> equal to the value within 2^-48 of it.
    /// </summary>
    private static AlignedArray<float> SplitLeaves(AlignedArray<double> table)
    {
        int trees = table.Length / MaxVectorLeaves;
        var split = new AlignedArray<float>(trees * 2 * MaxVectorLeaves, 0f);
        for (int t = 0; t < trees; t++)
        {
            for (int k = 0; k < MaxVectorLeaves; k++)
            {
                double value = table[(t * MaxVectorLeaves) + k];
                float hi = (float)value;
                split[(t * 2 * MaxVectorLeaves) + k] = hi;
                split[(t * 2 * MaxVectorLeaves) + MaxVectorLeaves + k] = (float)(value - hi);
            }
        }

        return split;
    }

    /// <summary>Combines the exit leaves' entries of <paramref name="values"/> (a single-row leaf table, [leaf][lane]) over all trees.</summary>
    private static unsafe double Combine256<TCombine>(Vector256Layout layout, double* values, ref float row, int featureCount)
        where TCombine : struct, ILeafCombination
    {
        Vector256<float> block0, block1, block2, block3;
        if (featureCount >= Lanes256)
        {
            // Blocks past the row's width are loaded from its last eight features and have no slots.
            nuint last = (nuint)(featureCount - Lanes256);
            block0 = Vector256.LoadUnsafe(ref row);
            block1 = Vector256.LoadUnsafe(ref row, Math.Min(8, last));
            block2 = Vector256.LoadUnsafe(ref row, Math.Min(16, last));
            block3 = Vector256.LoadUnsafe(ref row, Math.Min(24, last));
        }
        else
        {
            Padded8 padded = default;
            Unsafe.CopyBlockUnaligned(
                ref Unsafe.As<float, byte>(ref padded[0]),
                ref Unsafe.As<float, byte>(ref row),
                (uint)(featureCount * sizeof(float)));
            block0 = Vector256.LoadUnsafe(ref padded[0]);
            block1 = block0;
            block2 = block0;
            block3 = block0;
        }

        uint* slots = layout.Slots.Pointer;
        float* limits = layout.Thresholds.Pointer;
        ref int counts = ref MemoryMarshal.GetArrayDataReference(layout.SlotCounts);
        int[] leafCounts = layout.LeafCounts;
        Vector256<int> lanes = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        Vector256<double> sum0 = TCombine.Identity256, sum1 = sum0;
        for (int g = 0; g < leafCounts.Length; g++)
        {
            Vector256<uint> alive = Vector256<uint>.AllBitsSet;
            Vector256<uint> alsoAlive = alive;
            ref int count = ref Unsafe.Add(ref counts, g * MaxBlocks256);
            RuleOutBlock(ref alive, ref alsoAlive, ref slots, ref limits, count, block0);
            RuleOutBlock(ref alive, ref alsoAlive, ref slots, ref limits, Unsafe.Add(ref count, 1), block1);
            RuleOutBlock(ref alive, ref alsoAlive, ref slots, ref limits, Unsafe.Add(ref count, 2), block2);
            RuleOutBlock(ref alive, ref alsoAlive, ref slots, ref limits, Unsafe.Add(ref count, 3), block3);
            alive &= alsoAlive;

            Vector256<int> leaf = LowestBit(Vector256.ShiftRightLogical(alive, 16).AsInt32());
            Vector256<int> index = (leaf << 3) + lanes;
            sum0 = TCombine.Combine(sum0, Avx2.GatherVector256(values, index.GetLower(), sizeof(double)));
            if (layout.Trees - (g * Lanes256) > 4)
            {
                sum1 = TCombine.Combine(sum1, Avx2.GatherVector256(values, index.GetUpper(), sizeof(double)));
            }

            values += leafCounts[g] * Lanes256;
        }

        return TCombine.Reduce(TCombine.Combine(sum0, sum1));
    }

    /// <summary>The slots of one register block, two at a time into two independent chains.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void RuleOutBlock(ref Vector256<uint> alive, ref Vector256<uint> alsoAlive, ref uint* slots, ref float* limits, int count, Vector256<float> block)
    {
        for (; count >= 2; count -= 2)
        {
            alive = RuleOut256(alive, slots, limits, block);
            alsoAlive = RuleOut256(alsoAlive, slots + Lanes256, limits + Lanes256, block);
            slots += 2 * Lanes256;
            limits += 2 * Lanes256;
        }

        if (count > 0)
        {
            alive = RuleOut256(alive, slots, limits, block);
            slots += Lanes256;
            limits += Lanes256;
        }
    }

    /// <summary>Eight splits: where the row goes right (<c>!(x &lt;= t)</c>, NaN included) the lane keeps only the slot's leaf mask.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<uint> RuleOut256(Vector256<uint> alive, uint* slots, float* limits, Vector256<float> block)
    {
        Vector256<uint> slot = Vector256.LoadAligned(slots);
        Vector256<float> x = Avx2.PermuteVar8x32(block, slot.AsInt32());
        return alive & (slot | Vector256.LessThanOrEqual(x, Vector256.LoadAligned(limits)).AsUInt32());
    }

    /// <summary>The index of each lane's lowest set bit (below bit 31; the lane is not zero): the exponent of the bit as a float.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> LowestBit(Vector256<int> bits)
    {
        Vector256<int> lowest = bits & (Vector256<int>.Zero - bits);
        return Vector256.ShiftRightLogical(Vector256.ConvertToSingle(lowest).AsInt32(), 23) - Vector256.Create(127);
    }

    /// <summary>
    /// Scores rows 64 at a time as the AVX-512 batch does (<see cref="CombineBlocks{TCombine}"/>), in two passes of 32 rows
    /// over the trees so that bit sets and sums stay in the sixteen registers.
    /// </summary>
    /// <returns>How many rows were scored; the caller scores the rest (fewer than <see cref="MinBlockRows"/>) one by one.</returns>
    private unsafe int CombineBlocks256<TCombine>(RowLaneLayout layout, float* leafTable, ReadOnlySpan<float> rows, Span<double> destination)
        where TCombine : struct, ILeafCombination
    {
        int width = FeatureCount;
        int count = destination.Length;
        int done = 0;
        if (count < MinBlockRows)
        {
            return 0;
        }

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
                for (int half = 0; half < take; half += HalfBlockRows)
                {
                    Vector256<double> sum0 = TCombine.Identity256, sum1 = sum0, sum2 = sum0, sum3 = sum0;
                    Vector256<double> sum4 = sum0, sum5 = sum0, sum6 = sum0, sum7 = sum0;
                    nuint split = 0;
                    float* values = leafTable;
                    float* rowsOfHalf = transposed + half;
                    for (int t = 0; t < splitCounts.Length; t++)
                    {
                        Vector256<uint> alive0 = Vector256<uint>.AllBitsSet, alive1 = alive0, alive2 = alive0, alive3 = alive0;
                        for (int s = splitCounts[t]; s > 0; s--)
                        {
                            float* x = rowsOfHalf + Unsafe.Add(ref features, split);
                            Vector256<float> limit = Vector256.Create(Unsafe.Add(ref limits, split));
                            Vector256<uint> mask = Vector256.Create(Unsafe.Add(ref masks, split));
                            alive0 &= mask | Vector256.LessThanOrEqual(Vector256.LoadAligned(x), limit).AsUInt32();
                            alive1 &= mask | Vector256.LessThanOrEqual(Vector256.LoadAligned(x + 8), limit).AsUInt32();
                            alive2 &= mask | Vector256.LessThanOrEqual(Vector256.LoadAligned(x + 16), limit).AsUInt32();
                            alive3 &= mask | Vector256.LessThanOrEqual(Vector256.LoadAligned(x + 24), limit).AsUInt32();
                            split++;
                        }

                        (Vector256<double> a, Vector256<double> b) = ExitValues256(alive0, values);
                        sum0 = TCombine.Combine(sum0, a);
                        sum1 = TCombine.Combine(sum1, b);
                        (a, b) = ExitValues256(alive1, values);
                        sum2 = TCombine.Combine(sum2, a);
                        sum3 = TCombine.Combine(sum3, b);
                        (a, b) = ExitValues256(alive2, values);
                        sum4 = TCombine.Combine(sum4, a);
                        sum5 = TCombine.Combine(sum5, b);
                        (a, b) = ExitValues256(alive3, values);
                        sum6 = TCombine.Combine(sum6, a);
                        sum7 = TCombine.Combine(sum7, b);
                        values += 2 * MaxVectorLeaves;
                    }

                    sum0.StoreUnsafe(ref scores[half]);
                    sum1.StoreUnsafe(ref scores[half + 4]);
                    sum2.StoreUnsafe(ref scores[half + 8]);
                    sum3.StoreUnsafe(ref scores[half + 12]);
                    sum4.StoreUnsafe(ref scores[half + 16]);
                    sum5.StoreUnsafe(ref scores[half + 20]);
                    sum6.StoreUnsafe(ref scores[half + 24]);
                    sum7.StoreUnsafe(ref scores[half + 28]);
                }

                scores[..take].CopyTo(destination[done..]);
                done += take;
            }
        }

        return done;
    }

    /// <summary>The values of eight rows' exit leaves in one tree: <c>hi</c> and <c>lo</c> picked by permutes, added as doubles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe (Vector256<double> Low, Vector256<double> High) ExitValues256(Vector256<uint> alive, float* values)
    {
        Vector256<int> leaf = LowestBit(alive.AsInt32());

        // Leaves 8..15 are in the second register of each half: bit 3 of the leaf, moved to the sign bit, picks it.
        Vector256<float> upper = (leaf << 28).AsSingle();
        Vector256<float> hi = Avx.BlendVariable(
            Avx2.PermuteVar8x32(Vector256.Load(values), leaf),
            Avx2.PermuteVar8x32(Vector256.Load(values + 8), leaf),
            upper);
        Vector256<float> lo = Avx.BlendVariable(
            Avx2.PermuteVar8x32(Vector256.Load(values + 16), leaf),
            Avx2.PermuteVar8x32(Vector256.Load(values + 24), leaf),
            upper);
        return (
            Avx.ConvertToVector256Double(hi.GetLower()) + Avx.ConvertToVector256Double(lo.GetLower()),
            Avx.ConvertToVector256Double(hi.GetUpper()) + Avx.ConvertToVector256Double(lo.GetUpper()));
    }

    private unsafe double ScoreVector256(Vector256Layout layout, ref float row) =>
        Bias + Combine256<Sum>(layout, layout.LeafValues.Pointer, ref row, FeatureCount);

    private unsafe int ScoreBlocks256(Vector256Layout layout, ReadOnlySpan<float> rows, Span<double> destination)
    {
        int done = CombineBlocks256<Sum>(layout.Blocks, layout.SplitBlockLeaves.Pointer, rows, destination);
        for (int r = 0; r < done; r++)
        {
            destination[r] += Bias;
        }

        return done;
    }

    /// <summary>Whether an exponentiated leaf table for this calibration can be held as two floats (see <see cref="MaxSplitExponent"/>).</summary>
    private static bool SplitExponentFits(double largestExponent) => largestExponent <= MaxSplitExponent;

    [InlineArray(Lanes256)]
    private struct Padded8
    {
        private float _element;
    }

    /// <summary>The AVX2 arrays: <see cref="SlotCounts"/> has four entries (register blocks) per group of eight trees.</summary>
    private sealed record Vector256Layout(
        int Trees,
        int[] SlotCounts,
        int[] LeafCounts,
        AlignedArray<uint> Slots,
        AlignedArray<float> Thresholds,
        AlignedArray<double> LeafValues,
        RowLaneLayout Blocks,
        AlignedArray<float> SplitBlockLeaves);
}
