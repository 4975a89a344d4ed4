using PredictiveCaching.Resources;

namespace PredictiveCaching.Prediction;

/// <summary>
/// The confidence of a prediction, as the product's design defines it:
/// <c>clamp01(probability × accuracy × availability × contextFactor)</c>.
/// </summary>
/// <remarks>
/// accuracy is the mean of the latest prefetch outcomes (0.8 before any); availability is
/// <c>0.6 × (1 − memory) + 0.4 × (1 − cpu)</c>, with an unknown utilisation counted as 0.5 (neither idle nor busy);
/// contextFactor is the mean of the key's priority, 0.8 when the access is sequential (only then), and
/// <c>max(0.2, 1 − sizeMB / 1000)</c> with 1 MB = 10^6 bytes.
/// </remarks>
internal static class PredictionConfidence
{
    /// <summary>The utilisation assumed for a resource whose probe could not tell.</summary>
    public const double UnknownUtilisation = 0.5;

    /// <summary>Computes the confidence of one prediction.</summary>
    /// <param name="probability">The predicted probability of a read within the window.</param>
    /// <param name="accuracy">The recent prefetch accuracy.</param>
    /// <param name="resources">The latest resource snapshot.</param>
    /// <param name="priority">The key's priority level.</param>
    /// <param name="isSequential">Whether the access is sequential.</param>
    /// <param name="sizeBytes">The predicted size of the value, in bytes.</param>
    /// <returns>The confidence, in [0, 1].</returns>
    public static double Compute(double probability, double accuracy, ResourceSnapshot resources, double priority, bool isSequential, long sizeBytes)
    {
        ArgumentNullException.ThrowIfNull(resources);
        return Math.Clamp(probability * accuracy * Availability(resources) * ContextFactor(priority, isSequential, sizeBytes), 0d, 1d);
    }

    /// <summary>Computes the resource availability factor <c>0.6 × (1 − memory) + 0.4 × (1 − cpu)</c>.</summary>
    /// <param name="resources">The resource snapshot.</param>
    /// <returns>The availability, in [0, 1].</returns>
    public static double Availability(ResourceSnapshot resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        double memory = double.IsNaN(resources.Memory) ? UnknownUtilisation : Math.Clamp(resources.Memory, 0d, 1d);
        double cpu = double.IsNaN(resources.Cpu) ? UnknownUtilisation : Math.Clamp(resources.Cpu, 0d, 1d);
        return (0.6 * (1d - memory)) + (0.4 * (1d - cpu));
    }

    /// <summary>Computes the context factor: the mean of priority, 0.8 if sequential, and the size factor.</summary>
    /// <param name="priority">The key's priority level.</param>
    /// <param name="isSequential">Whether the access is sequential.</param>
    /// <param name="sizeBytes">The predicted size, in bytes.</param>
    /// <returns>The context factor.</returns>
    public static double ContextFactor(double priority, bool isSequential, long sizeBytes)
    {
        double sizeFactor = Math.Max(0.2, 1d - (sizeBytes / 1e6 / 1000d));
        return isSequential ? (priority + 0.8 + sizeFactor) / 3d : (priority + sizeFactor) / 2d;
    }
}
