namespace PredictiveCaching.Prediction;

/// <summary>How a <see cref="CompiledTreeEnsemble"/> scores rows; chosen once per ensemble, when it is built.</summary>
internal enum ScoringLayout
{
    /// <summary>The branch-free lock-step tree walk (CompiledTreeEnsemble.Walk.cs): any CPU, any shape.</summary>
    Walk,

    /// <summary>QuickScorer bit sets on 256-bit vectors, eight trees per vector (AVX2; CompiledTreeEnsemble.Vector256.cs).</summary>
    Vector256,

    /// <summary>QuickScorer bit sets on 512-bit vectors, sixteen trees per vector (AVX-512 F and CD; CompiledTreeEnsemble.Vector.cs).</summary>
    Vector512,
}
