using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PredictiveCaching.Prediction;

/// <summary>
/// The scoring layout, built once from the validated arrays (the file format does not change): every node — splits and
/// leaves — is one 16-byte <see cref="Node"/> in a single array, a leaf being a node whose two children are itself. A
/// row then takes exactly <c>depth</c> branch-free steps per tree, <c>n = child[n][x &gt; t]</c>, whatever path it
/// follows, so the CPU never mispredicts a comparison, and several independent walks (trees of one row, or rows of
/// one tree) run side by side to hide the load latency of each step.
/// </summary>
public sealed partial class CompiledTreeEnsemble
{
    // How many walks advance in lock-step: enough to cover the load→compare→load chain of one step, few enough to stay
    // in registers.
    private const int Lanes = 8;
    private const uint NodeSize = 16;

    private Node[] _nodes = [];
    private uint[] _walkRoots = [];
    private int[] _walkDepths = [];
    private int[] _walkTreeDepths = [];
    private double[] _leafByOffset = [];

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
        int[] treeDepths = new int[padded];
        for (int i = 0; i < padded; i++)
        {
            walkRoots[i] = i < trees ? Offset(roots[order[i]], splits) : (uint)zero * NodeSize;
            treeDepths[i] = i < trees ? depths[order[i]] : 0;
            groupDepths[i / Lanes] = Math.Max(groupDepths[i / Lanes], treeDepths[i]);
        }

        _nodes = nodes;
        _leafByOffset = leafByNode;
        _walkRoots = walkRoots;
        _walkDepths = groupDepths;
        _walkTreeDepths = treeDepths;
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
            }

            sum += Leaf(ref leaves, n0) + Leaf(ref leaves, n1) + Leaf(ref leaves, n2) + Leaf(ref leaves, n3)
                + Leaf(ref leaves, n4) + Leaf(ref leaves, n5) + Leaf(ref leaves, n6) + Leaf(ref leaves, n7);
        }

        return sum;
    }

    // A leaf's value sits at the leaf node's byte offset / 2 in a double array as long as the nodes: no subtraction.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Leaf(ref double leaves, uint at) => Unsafe.As<double, double>(ref Unsafe.AddByteOffset(ref leaves, at >> 1));

    private void WalkBatch(ref float rows, int count, Span<double> destination)
    {
        ref byte nodes = ref Unsafe.As<Node, byte>(ref MemoryMarshal.GetArrayDataReference(_nodes));
        ref double leaves = ref MemoryMarshal.GetArrayDataReference(_leafByOffset);
        uint[] roots = _walkRoots;
        int[] depths = _walkTreeDepths;
        int width = FeatureCount;
        ref double dest = ref MemoryMarshal.GetReference(destination);

        // Tree by tree over the rows, eight rows in lock-step: one tree's nodes stay in L1 while the rows go by.
        for (int t = 0; t < TreeCount; t++)
        {
            uint root = roots[t];
            int depth = depths[t];
            int r = 0;
            for (; r <= count - Lanes; r += Lanes)
            {
                ref byte row0 = ref Unsafe.As<float, byte>(ref Unsafe.Add(ref rows, r * width));
                ref byte row1 = ref Unsafe.AddByteOffset(ref row0, width * sizeof(float));
                ref byte row2 = ref Unsafe.AddByteOffset(ref row1, width * sizeof(float));
                ref byte row3 = ref Unsafe.AddByteOffset(ref row2, width * sizeof(float));
                ref byte row4 = ref Unsafe.AddByteOffset(ref row3, width * sizeof(float));
                ref byte row5 = ref Unsafe.AddByteOffset(ref row4, width * sizeof(float));
                ref byte row6 = ref Unsafe.AddByteOffset(ref row5, width * sizeof(float));
                ref byte row7 = ref Unsafe.AddByteOffset(ref row6, width * sizeof(float));
                uint n0 = root, n1 = root, n2 = root, n3 = root, n4 = root, n5 = root, n6 = root, n7 = root;
                for (int d = depth; d > 0; d--)
                {
                    n0 = Step(ref nodes, ref row0, n0);
                    n1 = Step(ref nodes, ref row1, n1);
                    n2 = Step(ref nodes, ref row2, n2);
                    n3 = Step(ref nodes, ref row3, n3);
                    n4 = Step(ref nodes, ref row4, n4);
                    n5 = Step(ref nodes, ref row5, n5);
                    n6 = Step(ref nodes, ref row6, n6);
                    n7 = Step(ref nodes, ref row7, n7);
                }

                ref double d0 = ref Unsafe.Add(ref dest, r);
                d0 += Leaf(ref leaves, n0);
                Unsafe.Add(ref d0, 1) += Leaf(ref leaves, n1);
                Unsafe.Add(ref d0, 2) += Leaf(ref leaves, n2);
                Unsafe.Add(ref d0, 3) += Leaf(ref leaves, n3);
                Unsafe.Add(ref d0, 4) += Leaf(ref leaves, n4);
                Unsafe.Add(ref d0, 5) += Leaf(ref leaves, n5);
                Unsafe.Add(ref d0, 6) += Leaf(ref leaves, n6);
                Unsafe.Add(ref d0, 7) += Leaf(ref leaves, n7);
            }

            for (; r < count; r++)
            {
                ref byte row = ref Unsafe.As<float, byte>(ref Unsafe.Add(ref rows, r * width));
                uint n = root;
                for (int d = depth; d > 0; d--)
                {
                    n = Step(ref nodes, ref row, n);
                }

                Unsafe.Add(ref dest, r) += Leaf(ref leaves, n);
            }
        }
    }
}
