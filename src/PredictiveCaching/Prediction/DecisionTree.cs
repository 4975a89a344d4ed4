using System.Globalization;

namespace PredictiveCaching.Prediction;

/// <summary>
/// One trained regression tree, as a training package hands it to the core (see
/// <see cref="CompiledTreeEnsemble(int, double, IReadOnlyList{DecisionTree})"/>): ML.NET FastTree's own form, so that
/// its trees map one to one. Node <c>n</c> sends a row left when <c>row[SplitFeatures[n]] &lt;= Thresholds[n]</c> and
/// right otherwise (a missing value, NaN, goes right); a child is a node index, or <c>~leaf</c> for a leaf. Node 0 is
/// the root; a tree with no nodes is a single leaf.
/// </summary>
/// <remarks>The arrays are copied when the ensemble is compiled; the instance may be dropped afterwards.</remarks>
public sealed class DecisionTree
{
    /// <summary>Initializes a new instance of the <see cref="DecisionTree"/> class, checking that it is well formed.</summary>
    /// <param name="splitFeatures">The feature each node compares.</param>
    /// <param name="thresholds">The threshold each node compares against.</param>
    /// <param name="leftChild">Each node's left child: a node index greater than the node's own, or <c>~leaf</c>.</param>
    /// <param name="rightChild">Each node's right child, coded as <paramref name="leftChild"/>.</param>
    /// <param name="leafValues">Each leaf's output, already multiplied by the tree's weight; one more than the nodes.</param>
    /// <exception cref="ArgumentNullException">An array is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The arrays do not describe one binary tree.</exception>
    public DecisionTree(int[] splitFeatures, float[] thresholds, int[] leftChild, int[] rightChild, double[] leafValues)
    {
        ArgumentNullException.ThrowIfNull(splitFeatures);
        ArgumentNullException.ThrowIfNull(thresholds);
        ArgumentNullException.ThrowIfNull(leftChild);
        ArgumentNullException.ThrowIfNull(rightChild);
        ArgumentNullException.ThrowIfNull(leafValues);
        int nodes = splitFeatures.Length;
        if (thresholds.Length != nodes || leftChild.Length != nodes || rightChild.Length != nodes)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"splitFeatures, thresholds, leftChild and rightChild must have one entry per node; their lengths are {nodes}, {thresholds.Length}, {leftChild.Length} and {rightChild.Length}."),
                nameof(thresholds));
        }

        if (leafValues.Length != nodes + 1)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"A binary tree of {nodes} nodes has {nodes + 1} leaves; leafValues has {leafValues.Length}."),
                nameof(leafValues));
        }

        for (int n = 0; n < nodes; n++)
        {
            CheckChild(leftChild[n], n, nodes, leafValues.Length, nameof(leftChild));
            CheckChild(rightChild[n], n, nodes, leafValues.Length, nameof(rightChild));
        }

        SplitFeatures = splitFeatures;
        Thresholds = thresholds;
        LeftChild = leftChild;
        RightChild = rightChild;
        LeafValues = leafValues;
    }

    /// <summary>Gets the number of split nodes.</summary>
    public int NodeCount => SplitFeatures.Length;

    internal int[] SplitFeatures { get; }

    internal float[] Thresholds { get; }

    internal int[] LeftChild { get; }

    internal int[] RightChild { get; }

    internal double[] LeafValues { get; }

    private static void CheckChild(int child, int node, int nodes, int leaves, string argument)
    {
        bool valid = child >= 0 ? child > node && child < nodes : ~child < leaves;
        if (!valid)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Node {node}'s child {child} is neither a later node (below {nodes}) nor ~leaf for a leaf below {leaves}."),
                argument);
        }
    }
}
