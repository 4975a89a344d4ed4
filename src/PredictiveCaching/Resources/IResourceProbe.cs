namespace PredictiveCaching.Resources;

/// <summary>
/// Measures the utilisation of one resource. Probes are sampled one at a time by a background service every
/// <see cref="ResourceOptions.CheckInterval"/>, so an implementation may keep state between samples (rates).
/// </summary>
public interface IResourceProbe
{
    /// <summary>Gets a short, stable name for logs and metrics, such as <c>memory</c> or <c>queue-depth</c>.</summary>
    string Name { get; }

    /// <summary>Gets the resource this probe measures.</summary>
    ResourceKind Kind { get; }

    /// <summary>
    /// Measures the current utilisation. A probe that cannot tell returns <see cref="double.NaN"/>; one that throws is
    /// logged once and reported as unknown until it succeeds again.
    /// </summary>
    /// <returns>The utilisation in [0, 1], or <see cref="double.NaN"/> when unknown.</returns>
    double Sample();
}
