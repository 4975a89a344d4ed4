using System.Globalization;
using Microsoft.ML.Trainers.FastTree;
using PredictiveCaching.Prediction;

namespace PredictiveCaching.MachineLearning.Training;

/// <summary>Flattens an ML.NET FastTree ensemble into a <see cref="CompiledTreeEnsemble"/>.</summary>
internal static class TreeEnsembleCompiler
{
    public static CompiledTreeEnsemble Compile(RegressionTreeEnsemble ensemble, int featureCount)
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        IReadOnlyList<RegressionTree> trees = ensemble.Trees;
        int nodes = 0;
        int leaves = 0;
        for (int t = 0; t < trees.Count; t++)
        {
            nodes += trees[t].NumberOfNodes;
            leaves += trees[t].NumberOfLeaves;
        }

        int[] roots = new int[trees.Count];
        int[] features = new int[nodes];
        float[] thresholds = new float[nodes];
        int[] left = new int[nodes];
        int[] right = new int[nodes];
        double[] values = new double[leaves];
        int nodeBase = 0;
        int leafBase = 0;
        for (int t = 0; t < trees.Count; t++)
        {
            RegressionTree tree = trees[t];
            double weight = ensemble.TreeWeights[t];
            int treeNodes = tree.NumberOfNodes;
            roots[t] = treeNodes > 0 ? nodeBase : ~leafBase;
            for (int n = 0; n < treeNodes; n++)
            {
                if (tree.CategoricalSplitFlags[n])
                {
                    throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture, $"Tree {t} node {n} is a categorical split; only numerical splits can be compiled."));
                }

                features[nodeBase + n] = tree.NumericalSplitFeatureIndexes[n];
                thresholds[nodeBase + n] = tree.NumericalSplitThresholds[n];
                left[nodeBase + n] = Rebase(tree.LeftChild[n], nodeBase, leafBase);
                right[nodeBase + n] = Rebase(tree.RightChild[n], nodeBase, leafBase);
            }

            IReadOnlyList<double> leafValues = tree.LeafValues;
            for (int l = 0; l < tree.NumberOfLeaves; l++)
            {
                values[leafBase + l] = leafValues[l] * weight;
            }

            nodeBase += treeNodes;
            leafBase += tree.NumberOfLeaves;
        }

        return new CompiledTreeEnsemble(featureCount, ensemble.Bias, roots, features, thresholds, left, right, values);
    }

    // FastTree codes a leaf child as ~leafIndex, the same convention as the compiled form.
    private static int Rebase(int child, int nodeBase, int leafBase) => child >= 0 ? nodeBase + child : ~(leafBase + ~child);
}
