using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PredictiveCaching.Prediction;

/// <summary>
/// A trained ensemble of regression trees flattened into arrays, scored without allocation and without ML.NET.
/// The score of a row is <c>Bias + Σ leafValue(tree, row)</c>; for a FastTree binary classifier that is the raw score
/// fed to the calibrator, for a FastTree regressor it is the prediction.
/// </summary>
/// <remarks>
/// <para>
/// Nodes of all trees share one set of arrays. A child reference <c>c ≥ 0</c> is another node; <c>c &lt; 0</c> is the
/// leaf <c>~c</c>. A row goes left when <c>row[SplitFeatures[n]] &lt;= Thresholds[n]</c> and right otherwise, as in
/// ML.NET's FastTree, so a NaN feature (every comparison false) goes right.
/// </para>
/// <para>
/// Every child node has a higher index than its parent (checked on construction), so scoring always ends: a tree
/// of depth d takes d comparisons.
/// </para>
/// </remarks>
public sealed partial class CompiledTreeEnsemble
{
    private readonly int[] _roots;
    private readonly int[] _splitFeatures;
    private readonly float[] _thresholds;
    private readonly int[] _left;
    private readonly int[] _right;
    private readonly double[] _leafValues;

    /// <summary>Initializes a new instance of the <see cref="CompiledTreeEnsemble"/> class from trained trees.</summary>
    /// <param name="featureCount">The length of the feature vectors the ensemble scores.</param>
    /// <param name="bias">A constant added to every score.</param>
    /// <param name="trees">The trees, whose outputs are summed.</param>
    /// <exception cref="ArgumentException">A tree compares a feature outside <paramref name="featureCount"/>, or there is no tree.</exception>
    /// <remarks>
    /// The contract between a training package and the core: the ML package hands each trained FastTree ensemble over
    /// as its trees, and a third-party trainer does the same with its own. The trees are copied into the layout the CPU
    /// scores fastest, which is not part of the contract. An application does not build models itself; it loads them
    /// with <see cref="TreeModelFormat.Load(Stream)"/>.
    /// </remarks>
    public CompiledTreeEnsemble(int featureCount, double bias, IReadOnlyList<DecisionTree> trees)
        : this(featureCount, bias, Flatten(trees ?? throw new ArgumentNullException(nameof(trees))))
    {
    }

    private CompiledTreeEnsemble(int featureCount, double bias, FlatTrees flat)
        : this(featureCount, bias, flat.Roots, flat.SplitFeatures, flat.Thresholds, flat.Left, flat.Right, flat.LeafValues, BestLayout)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CompiledTreeEnsemble"/> class from its flat arrays, validating every reference.</summary>
    /// <param name="featureCount">The length of the feature vectors the ensemble scores.</param>
    /// <param name="bias">A constant added to every score.</param>
    /// <param name="roots">The root of each tree: a node index, or <c>~leaf</c> for a tree that is a single leaf.</param>
    /// <param name="splitFeatures">The feature each node compares.</param>
    /// <param name="thresholds">The threshold each node compares against (<c>&lt;=</c> goes left).</param>
    /// <param name="left">The left child of each node (node index, or <c>~leaf</c>).</param>
    /// <param name="right">The right child of each node (node index, or <c>~leaf</c>).</param>
    /// <param name="leafValues">The output of each leaf, already multiplied by its tree's weight.</param>
    /// <exception cref="ArgumentException">The arrays do not describe a well-formed ensemble.</exception>
    /// <remarks>The model format and tests build ensembles this way; the arrays are kept, not copied.</remarks>
    internal CompiledTreeEnsemble(
        int featureCount,
        double bias,
        int[] roots,
        int[] splitFeatures,
        float[] thresholds,
        int[] left,
        int[] right,
        double[] leafValues)
        : this(featureCount, bias, roots, splitFeatures, thresholds, left, right, leafValues, BestLayout)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CompiledTreeEnsemble"/> class, choosing the scoring layout.</summary>
    /// <param name="featureCount">The length of the feature vectors the ensemble scores.</param>
    /// <param name="bias">A constant added to every score.</param>
    /// <param name="roots">The root of each tree: a node index, or <c>~leaf</c>.</param>
    /// <param name="splitFeatures">The feature each node compares.</param>
    /// <param name="thresholds">The threshold each node compares against.</param>
    /// <param name="left">The left child of each node.</param>
    /// <param name="right">The right child of each node.</param>
    /// <param name="leafValues">The output of each leaf.</param>
    /// <param name="layout">
    /// The bit-set layout to build when the trees allow it (at most 32 features, 16 leaves per tree). Its arrays are built
    /// whatever the CPU, so tests can check them through <see cref="ScoreBitSetsScalar"/> everywhere; rows are scored
    /// with it only when the CPU has its instructions, otherwise with the walk. Tests and benchmarks pass
    /// <see cref="ScoringLayout.Vector256"/> to run the AVX2 layout on an AVX-512 machine, or
    /// <see cref="ScoringLayout.Walk"/> for the walk.
    /// </param>
    internal CompiledTreeEnsemble(
        int featureCount,
        double bias,
        int[] roots,
        int[] splitFeatures,
        float[] thresholds,
        int[] left,
        int[] right,
        double[] leafValues,
        ScoringLayout layout)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(featureCount);
        ArgumentNullException.ThrowIfNull(roots);
        ArgumentNullException.ThrowIfNull(splitFeatures);
        ArgumentNullException.ThrowIfNull(thresholds);
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        ArgumentNullException.ThrowIfNull(leafValues);
        Validate(featureCount, bias, roots, splitFeatures, thresholds, left, right, leafValues);
        FeatureCount = featureCount;
        Bias = bias;
        _roots = roots;
        _splitFeatures = splitFeatures;
        _thresholds = thresholds;
        _left = left;
        _right = right;
        _leafValues = leafValues;
        BuildWalk(roots, splitFeatures, thresholds, left, right, leafValues);
        if (layout == ScoringLayout.Vector512)
        {
            _built512 = BuildVector(roots, splitFeatures, thresholds, left, right, leafValues);
            _vector = Vector512Hardware ? _built512 : null;
        }
        else if (layout == ScoringLayout.Vector256)
        {
            _built256 = BuildVector256(roots, splitFeatures, thresholds, left, right, leafValues);
            _vector256 = Vector256Hardware ? _built256 : null;
        }

        Layout = _vector is not null ? ScoringLayout.Vector512 : _vector256 is not null ? ScoringLayout.Vector256 : ScoringLayout.Walk;
    }

    /// <summary>The trees one after another: node and leaf indexes rebased onto shared arrays.</summary>
    private static FlatTrees Flatten(IReadOnlyList<DecisionTree> trees)
    {
        if (trees.Count == 0)
        {
            throw new ArgumentException("An ensemble needs at least one tree.", nameof(trees));
        }

        int nodes = 0;
        int leaves = 0;
        for (int t = 0; t < trees.Count; t++)
        {
            DecisionTree tree = trees[t] ?? throw new ArgumentException("Tree " + t.ToString(System.Globalization.CultureInfo.InvariantCulture) + " is null.", nameof(trees));
            nodes += tree.NodeCount;
            leaves += tree.LeafValues.Length;
        }

        var flat = new FlatTrees(new int[trees.Count], new int[nodes], new float[nodes], new int[nodes], new int[nodes], new double[leaves]);
        int nodeBase = 0;
        int leafBase = 0;
        for (int t = 0; t < trees.Count; t++)
        {
            DecisionTree tree = trees[t];
            flat.Roots[t] = tree.NodeCount > 0 ? nodeBase : ~leafBase;
            tree.SplitFeatures.CopyTo(flat.SplitFeatures, nodeBase);
            tree.Thresholds.CopyTo(flat.Thresholds, nodeBase);
            for (int n = 0; n < tree.NodeCount; n++)
            {
                flat.Left[nodeBase + n] = Rebase(tree.LeftChild[n], nodeBase, leafBase);
                flat.Right[nodeBase + n] = Rebase(tree.RightChild[n], nodeBase, leafBase);
            }

            tree.LeafValues.CopyTo(flat.LeafValues, leafBase);
            nodeBase += tree.NodeCount;
            leafBase += tree.LeafValues.Length;
        }

        return flat;

        static int Rebase(int child, int nodeBase, int leafBase) => child >= 0 ? nodeBase + child : ~(leafBase + ~child);
    }

    private readonly record struct FlatTrees(int[] Roots, int[] SplitFeatures, float[] Thresholds, int[] Left, int[] Right, double[] LeafValues);

    /// <summary>Gets the layout the public constructor asks for: the widest bit-set layout this CPU runs, else the walk.</summary>
    internal static ScoringLayout BestLayout =>
        Vector512Hardware ? ScoringLayout.Vector512 : Vector256Hardware ? ScoringLayout.Vector256 : ScoringLayout.Walk;

    /// <summary>Whether this CPU has the instructions of <paramref name="layout"/> (the walk runs anywhere).</summary>
    internal static bool Runs(ScoringLayout layout) => layout switch
    {
        ScoringLayout.Vector512 => Vector512Hardware,
        ScoringLayout.Vector256 => Vector256Hardware,
        _ => true,
    };

    /// <summary>Gets the layout rows are scored with.</summary>
    internal ScoringLayout Layout { get; }

    /// <summary>Gets the width in bits of the vectors rows are scored with; 0 for the walk.</summary>
    internal int VectorBits => Layout switch
    {
        ScoringLayout.Vector512 => 512,
        ScoringLayout.Vector256 => 256,
        _ => 0,
    };

    /// <summary>Gets the length of the feature vectors the ensemble scores.</summary>
    public int FeatureCount { get; }

    /// <summary>Gets the constant added to every score.</summary>
    public double Bias { get; }

    /// <summary>Gets the number of trees.</summary>
    public int TreeCount => _roots.Length;

    /// <summary>Gets the number of split nodes over all trees.</summary>
    public int NodeCount => _splitFeatures.Length;

    /// <summary>Gets the number of leaves over all trees.</summary>
    public int LeafCount => _leafValues.Length;

    internal ReadOnlySpan<int> Roots => _roots;

    internal ReadOnlySpan<int> SplitFeatures => _splitFeatures;

    internal ReadOnlySpan<float> Thresholds => _thresholds;

    internal ReadOnlySpan<int> LeftChildren => _left;

    internal ReadOnlySpan<int> RightChildren => _right;

    internal ReadOnlySpan<double> LeafValues => _leafValues;

    /// <summary>Scores one feature vector. Does not allocate.</summary>
    /// <param name="features">Exactly <see cref="FeatureCount"/> values.</param>
    /// <returns>The ensemble's raw score.</returns>
    public double Score(ReadOnlySpan<float> features)
    {
        if (features.Length != FeatureCount)
        {
            ThrowLength(features.Length, FeatureCount, nameof(features));
        }

        return ScoreRow(ref MemoryMarshal.GetReference(features));
    }

    /// <summary>
    /// Scores a batch of feature vectors stored row after row. Does not allocate. With a bit-set layout, 64 rows at a time (one
    /// row per lane, tree after tree) and the rest row by row; for the walk a tree-major order (each tree over all rows) measured slower.
    /// </summary>
    /// <param name="rows">The rows, each <see cref="FeatureCount"/> values, concatenated.</param>
    /// <param name="destination">One score per row.</param>
    public void ScoreBatch(ReadOnlySpan<float> rows, Span<double> destination)
    {
        int count = destination.Length;
        if (rows.Length != count * FeatureCount)
        {
            ThrowLength(rows.Length, count * FeatureCount, nameof(rows));
        }

        int width = FeatureCount;
        ref float first = ref MemoryMarshal.GetReference(rows);
        int done = _vector is { } layout ? ScoreBlocks(layout, rows, destination)
            : _vector256 is { } narrow ? ScoreBlocks256(narrow, rows, destination)
            : 0;
        for (int r = done; r < count; r++)
        {
            destination[r] = ScoreRow(ref Unsafe.Add(ref first, r * width));
        }
    }

    private double ScoreRow(ref float row) =>
        _vector is { } layout ? ScoreVector(layout, ref row)
        : _vector256 is { } narrow ? ScoreVector256(narrow, ref row)
        : Bias + WalkRow(ref row);

    private static void Validate(int featureCount, double bias, int[] roots, int[] splitFeatures, float[] thresholds, int[] left, int[] right, double[] leafValues)
    {
        int nodes = splitFeatures.Length;
        if (thresholds.Length != nodes || left.Length != nodes || right.Length != nodes)
        {
            throw new ArgumentException("The split feature, threshold, left and right child arrays must have the same length.");
        }

        if (!double.IsFinite(bias))
        {
            throw new ArgumentException("The bias must be finite.", nameof(bias));
        }

        for (int t = 0; t < roots.Length; t++)
        {
            CheckChild(roots[t], -1, nodes, leafValues.Length, "root of tree", t);
        }

        for (int n = 0; n < nodes; n++)
        {
            if ((uint)splitFeatures[n] >= (uint)featureCount)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Node {n} splits on feature {splitFeatures[n]}, outside [0, {featureCount})."));
            }

            if (float.IsNaN(thresholds[n]))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Node {n} has a NaN threshold."));
            }

            CheckChild(left[n], n, nodes, leafValues.Length, "left child of node", n);
            CheckChild(right[n], n, nodes, leafValues.Length, "right child of node", n);
        }

        for (int l = 0; l < leafValues.Length; l++)
        {
            if (!double.IsFinite(leafValues[l]))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Leaf {l} has a value that is not finite."));
            }
        }
    }

    private static void CheckChild(int child, int parent, int nodes, int leaves, string what, int owner)
    {
        bool valid = child >= 0 ? child > parent && child < nodes : ~child < leaves;
        if (!valid)
        {
            throw new ArgumentException(string.Create(
                CultureInfo.InvariantCulture,
                $"The {what} {owner} refers to {(child >= 0 ? "node " + child.ToString(CultureInfo.InvariantCulture) : "leaf " + (~child).ToString(CultureInfo.InvariantCulture))}, which does not exist or does not come after its parent."));
        }
    }

    private static void ThrowLength(int actual, int expected, string paramName) =>
        throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Expected {expected} values but got {actual}."), paramName);
}
