using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PredictiveCaching.Prediction;

/// <summary>
/// The scoring layout, built once from the validated arrays (the file format does not change): every node — splits and
/// leaves — is one 16-byte <see cref="Node"/> in a single array, a leaf being a node whose two children are itself, and
/// offsets are in bytes. A row walks eight trees in lock-step with branch-free steps, <c>n = child[n][!(x &lt;= t)]</c>,
/// so the CPU never mispredicts a comparison and eight independent load chains overlap; a group stops when all eight
/// walks are on a leaf (one branch per step, mispredicted about once per group) or at its deepest tree's depth.
/// </summary>
/// <remarks>
/// This is the layout for machines without AVX-512 and for ensembles the AVX-512 layout does not take (see
/// CompiledTreeEnsemble.Vector.cs). Measured alternatives (docs/learned-prediction.md): fixed-depth walks without the
/// early stop were slower, and a tree-major batch (each tree over eight rows at a time) was slower than this walk row by
/// row. Scalar QuickScorer bit vectors were not used: their cost is the number of false nodes, several times the nodes
/// a walk visits; with sixteen splits per AVX-512 instruction that cost turns around.
/// </remarks>
public sealed partial class CompiledTreeEnsemble
{
    // How many walks advance in lock-step: enough to cover the load→compare→load chain of one step, few enough to stay
    // in registers.
    private const int Lanes = 8;
    private const uint NodeSize = 16;

    private Node[] _nodes = [];
    private uint[] _walkRoots = [];
    private int[] _walkDepths = [];
    private double[] _leafByOffset = [];
    private uint _firstLeaf;

    [StructLayout(LayoutKind.Sequential)]
    private struct Node
    {
        public uint Feature; // byte offset of the feature in a row
        public float Threshold;
        public uint Left; // byte offset of the child node in the node array
        public uint Right;
    }

    private void BuildWalk(int[] roots, int[] splitFeatures, float[] thresholds, int[] left, int[] right, double[] leafValues)
    {
        // Node index: splits first, then leaves, then one zero leaf that pads the last lock-step group of trees.
        int splits = splitFeatures.Length;
        int zero = splits + leafValues.Length;
        var nodes = new Node[zero + 1];
        var leafByNode = new double[zero + 1];
        for (int n = 0; n < splits; n++)
        {
            nodes[n] = new Node
            {
                Feature = (uint)splitFeatures[n] * sizeof(float),
                Threshold = thresholds[n],
                Left = Offset(left[n], splits),
                Right = Offset(right[n], splits),
            };
        }

        for (int i = splits; i <= zero; i++)
        {
            // Feature 0 always exists; the comparison's outcome does not matter since both children are the leaf.
            uint self = (uint)i * NodeSize;
            nodes[i] = new Node { Feature = 0, Threshold = 0f, Left = self, Right = self };
            leafByNode[i] = i < zero ? leafValues[i - splits] : 0d;
        }

        // Trees in order of depth, so the walks that share a lock-step group need about the same number of steps.
        // The sum's order changes, which moves the score by rounding only (~1e-15).
        int trees = roots.Length;
        int[] depths = new int[trees];
        int[] order = new int[trees];
        for (int t = 0; t < trees; t++)
        {
            depths[t] = Depth(roots[t], left, right);
            order[t] = t;
        }

        Array.Sort((int[])depths.Clone(), order);
        int padded = (trees + Lanes - 1) / Lanes * Lanes;
        uint[] walkRoots = new uint[padded];
        int[] groupDepths = new int[padded / Lanes];
        for (int i = 0; i < padded; i++)
        {
            walkRoots[i] = i < trees ? Offset(roots[order[i]], splits) : (uint)zero * NodeSize;
            groupDepths[i / Lanes] = Math.Max(groupDepths[i / Lanes], i < trees ? depths[order[i]] : 0);
        }

        _firstLeaf = (uint)splits * NodeSize;
        _nodes = nodes;
        _leafByOffset = leafByNode;
        _walkRoots = walkRoots;
        _walkDepths = groupDepths;
    }

    private static uint Offset(int child, int splits) => (uint)(child >= 0 ? child : splits + ~child) * NodeSize;

    private static int Depth(int root, int[] left, int[] right)
    {
        if (root < 0)
        {
            return 0;
        }

        int max = 0;
        var stack = new Stack<(int Node, int Depth)>();
        stack.Push((root, 0));
        while (stack.Count > 0)
        {
            (int node, int depth) = stack.Pop();
            if (node < 0)
            {
                max = Math.Max(max, depth);
                continue;
            }

            stack.Push((left[node], depth + 1));
            stack.Push((right[node], depth + 1));
        }

        return max;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Step(ref byte nodes, ref byte row, uint at)
    {
        // Offsets in bytes, so a step is load feature → load value → compare → load child with no index arithmetic
        // on the dependency chain. !(x <= t): a NaN feature goes right, as in ML.NET; as a byte it picks Left or Right.
        ref Node node = ref Unsafe.As<byte, Node>(ref Unsafe.AddByteOffset(ref nodes, at));
        float x = Unsafe.As<byte, float>(ref Unsafe.AddByteOffset(ref row, node.Feature));
        uint goRight = Unsafe.BitCast<bool, byte>(!(x <= node.Threshold));
        return Unsafe.Add(ref node.Left, goRight);
    }

    private double WalkRow(ref float row)
    {
        ref byte nodes = ref Unsafe.As<Node, byte>(ref MemoryMarshal.GetArrayDataReference(_nodes));
        ref byte values = ref Unsafe.As<float, byte>(ref row);
        ref uint roots = ref MemoryMarshal.GetArrayDataReference(_walkRoots);
        ref double leaves = ref MemoryMarshal.GetArrayDataReference(_leafByOffset);
        int[] depths = _walkDepths;
        uint firstLeaf = _firstLeaf;
        double sum = 0;
        for (int g = 0; g < depths.Length; g++)
        {
            ref uint r = ref Unsafe.Add(ref roots, g * Lanes);
            uint n0 = r, n1 = Unsafe.Add(ref r, 1), n2 = Unsafe.Add(ref r, 2), n3 = Unsafe.Add(ref r, 3);
            uint n4 = Unsafe.Add(ref r, 4), n5 = Unsafe.Add(ref r, 5), n6 = Unsafe.Add(ref r, 6), n7 = Unsafe.Add(ref r, 7);
            for (int d = depths[g]; d > 0; d--)
            {
                n0 = Step(ref nodes, ref values, n0);
                n1 = Step(ref nodes, ref values, n1);
                n2 = Step(ref nodes, ref values, n2);
                n3 = Step(ref nodes, ref values, n3);
                n4 = Step(ref nodes, ref values, n4);
                n5 = Step(ref nodes, ref values, n5);
                n6 = Step(ref nodes, ref values, n6);
                n7 = Step(ref nodes, ref values, n7);

                // Most paths are much shorter than the deepest one: stop once every walk of the group is on a leaf.
                if (AllLeaves(n0, n1, n2, n3, n4, n5, n6, n7, firstLeaf))
                {
                    break;
                }
            }

            sum += Leaf(ref leaves, n0) + Leaf(ref leaves, n1) + Leaf(ref leaves, n2) + Leaf(ref leaves, n3)
                + Leaf(ref leaves, n4) + Leaf(ref leaves, n5) + Leaf(ref leaves, n6) + Leaf(ref leaves, n7);
        }

        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool AllLeaves(uint n0, uint n1, uint n2, uint n3, uint n4, uint n5, uint n6, uint n7, uint firstLeaf) =>
        Math.Min(Math.Min(Math.Min(n0, n1), Math.Min(n2, n3)), Math.Min(Math.Min(n4, n5), Math.Min(n6, n7))) >= firstLeaf;

    // A leaf's value sits at the leaf node's byte offset / 2 in a double array as long as the nodes: no subtraction.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Leaf(ref double leaves, uint at) => Unsafe.As<double, double>(ref Unsafe.AddByteOffset(ref leaves, at >> 1));
}
