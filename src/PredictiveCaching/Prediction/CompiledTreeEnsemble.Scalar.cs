using System.Numerics;

namespace PredictiveCaching.Prediction;

/// <summary>
/// Scalar renditions of the bit-set layouts: the same arrays the vector kernels read, in the same order, with each lane's
/// register contents, permute, compare, AND and exit-leaf rule written as plain loops. Tests compare them with the walk on
/// every machine, so the logic of a layout (slot placement, register blocks, masks, leaf numbering, the two-float leaf
/// tables) is checked even where its instructions are missing. Not a scoring path: slow and only for tests.
/// </summary>
public sealed partial class CompiledTreeEnsemble
{
    /// <summary>Gets the bit-set layout whose arrays were built (whether or not this CPU runs it), or the walk when none was.</summary>
    internal ScoringLayout BuiltLayout =>
        _built512 is not null ? ScoringLayout.Vector512 : _built256 is not null ? ScoringLayout.Vector256 : ScoringLayout.Walk;

    /// <summary>Gets how many 8-lane slots the AVX2 layout's single-row pass runs (0 when that layout was not built).</summary>
    internal int Vector256SlotCount => _built256 is null ? 0 : _built256.Slots.Length / Lanes256;

    /// <summary>Scores one row through the built bit-set layout's single-row arrays, lane by lane.</summary>
    internal double ScoreBitSetsScalar(ReadOnlySpan<float> row)
    {
        if (row.Length != FeatureCount)
        {
            ThrowLength(row.Length, FeatureCount, nameof(row));
        }

        if (_built512 is { } wide)
        {
            return Bias + Scalar512(wide, row);
        }

        return _built256 is { } narrow ? Bias + Scalar256(narrow, row) : throw new InvalidOperationException("No bit-set layout was built.");
    }

    /// <summary>Scores one row through the built bit-set layout's batch arrays (tree after tree), as one lane of a batch.</summary>
    internal double ScoreBitSetBlocksScalar(ReadOnlySpan<float> row)
    {
        if (row.Length != FeatureCount)
        {
            ThrowLength(row.Length, FeatureCount, nameof(row));
        }

        RowLaneLayout layout = _built512?.Blocks ?? _built256?.Blocks ?? throw new InvalidOperationException("No bit-set layout was built.");
        AlignedArray<float>? split = _built512 is null ? _built256!.SplitBlockLeaves : null;
        double sum = 0d;
        int next = 0;
        for (int t = 0; t < layout.SplitCounts.Length; t++)
        {
            uint alive = uint.MaxValue;
            for (int s = 0; s < layout.SplitCounts[t]; s++, next++)
            {
                // The batch stores a feature as its column's offset in the transposed block.
                if (!(row[layout.Features[next] / BlockRows] <= layout.Thresholds[next]))
                {
                    alive &= layout.Masks[next];
                }
            }

            int leaf = BitOperations.TrailingZeroCount(alive);
            sum += split is null
                ? layout.LeafValues[(t * MaxVectorLeaves) + leaf]
                : (double)split[(t * 2 * MaxVectorLeaves) + leaf] + (double)split[(t * 2 * MaxVectorLeaves) + MaxVectorLeaves + leaf];
        }

        return Bias + sum;
    }

    private double Scalar512(VectorLayout layout, ReadOnlySpan<float> row)
    {
        // The two registers the kernel loads: the row's first 16 and last 16 values, or one zero-padded copy.
        Span<float> low = stackalloc float[VectorLanes];
        Span<float> high = stackalloc float[VectorLanes];
        if (FeatureCount >= VectorLanes)
        {
            row[..VectorLanes].CopyTo(low);
            row[(FeatureCount - VectorLanes)..].CopyTo(high);
        }
        else
        {
            low.Clear();
            row.CopyTo(low);
            low.CopyTo(high);
        }

        double sum = 0d;
        int slotBase = 0;
        int leafRowBase = 0;
        for (int g = 0; g < layout.SlotCounts.Length; g++)
        {
            for (int lane = 0; lane < VectorLanes; lane++)
            {
                uint alive = uint.MaxValue;
                for (int s = 0; s < layout.SlotCounts[g]; s++)
                {
                    int cell = ((slotBase + s) * VectorLanes) + lane;
                    uint slot = layout.Slots[cell];
                    int index = (int)(slot & 31);
                    float x = index < VectorLanes ? low[index] : high[index - VectorLanes];
                    if (!(x <= layout.Thresholds[cell]))
                    {
                        alive &= slot;
                    }
                }

                int leaf = BitOperations.TrailingZeroCount(alive >> 16);
                sum += layout.LeafValues[((leafRowBase + leaf) * VectorLanes) + lane];
            }

            slotBase += layout.SlotCounts[g];
            leafRowBase += layout.LeafCounts[g];
        }

        return sum;
    }

    private double Scalar256(Vector256Layout layout, ReadOnlySpan<float> row)
    {
        // The four registers the kernel loads (see BlockStart), or one zero-padded copy of a short row.
        Span<float> blocks = stackalloc float[MaxBlocks256 * Lanes256];
        blocks.Clear();
        for (int b = 0; b < MaxBlocks256; b++)
        {
            int start = BlockStart(b, FeatureCount);
            int length = Math.Min(Lanes256, FeatureCount - start);
            row.Slice(start, length).CopyTo(blocks.Slice(b * Lanes256, Lanes256));
        }

        double sum = 0d;
        int slotBase = 0;
        int leafRowBase = 0;
        for (int g = 0; g < layout.LeafCounts.Length; g++)
        {
            for (int lane = 0; lane < Lanes256; lane++)
            {
                uint alive = uint.MaxValue;
                int cellRow = slotBase;
                for (int b = 0; b < MaxBlocks256; b++)
                {
                    for (int s = 0; s < layout.SlotCounts[(g * MaxBlocks256) + b]; s++, cellRow++)
                    {
                        int cell = (cellRow * Lanes256) + lane;
                        uint slot = layout.Slots[cell];
                        float x = blocks[(b * Lanes256) + (int)(slot & 7)];
                        if (!(x <= layout.Thresholds[cell]))
                        {
                            alive &= slot;
                        }
                    }
                }

                int leaf = BitOperations.TrailingZeroCount(alive >> 16);
                sum += layout.LeafValues[((leafRowBase + leaf) * Lanes256) + lane];
            }

            for (int b = 0; b < MaxBlocks256; b++)
            {
                slotBase += layout.SlotCounts[(g * MaxBlocks256) + b];
            }

            leafRowBase += layout.LeafCounts[g];
        }

        return sum;
    }
}
