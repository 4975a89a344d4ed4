using System.Globalization;
using Microsoft.ML.Trainers.FastTree;
using PredictiveCaching.Prediction;

namespace PredictiveCaching.MachineLearning.Training;

/// <summary>Hands an ML.NET FastTree ensemble to the core as its trees (<see cref="DecisionTree"/>).</summary>
internal static class TreeEnsembleCompiler
{
    public static CompiledTreeEnsemble Compile(RegressionTreeEnsemble ensemble, int featureCount)
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        IReadOnlyList<RegressionTree> trees = ensemble.Trees;
        var compiled = new DecisionTree[trees.Count];
        for (int t = 0; t < trees.Count; t++)
        {
            RegressionTree tree = trees[t];
            int nodes = tree.NumberOfNodes;
            for (int n = 0; n < nodes; n++)
            {
                if (tree.CategoricalSplitFlags[n])
                {
                    throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture, $"Tree {t} node {n} is a categorical split; only numerical splits can be compiled."));
                }
            }

            // FastTree codes a leaf child as ~leafIndex, as DecisionTree does; its tree weight goes into the leaves.
            double weight = ensemble.TreeWeights[t];
            double[] leaves = new double[tree.NumberOfLeaves];
            for (int l = 0; l < leaves.Length; l++)
            {
                leaves[l] = tree.LeafValues[l] * weight;
            }

            compiled[t] = new DecisionTree(
                [.. tree.NumericalSplitFeatureIndexes],
                [.. tree.NumericalSplitThresholds],
                [.. tree.LeftChild],
                [.. tree.RightChild],
                leaves);
        }

        return new CompiledTreeEnsemble(featureCount, ensemble.Bias, compiled);
    }
}
