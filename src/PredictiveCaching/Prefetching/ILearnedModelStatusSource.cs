namespace PredictiveCaching.Prefetching;

/// <summary>
/// Supplies <see cref="PredictiveLoaderStatus.Model"/>: what a learning package reports about its model (registered
/// by <c>AddMachineLearning()</c>; a third-party training package registers its own as a singleton).
/// </summary>
/// <remarks>Called by <see cref="IPredictiveLoader.GetStatus"/>: keep it cheap and do not call back into the loader.</remarks>
public interface ILearnedModelStatusSource
{
    /// <summary>Returns the model's status as of now.</summary>
    /// <returns>The status.</returns>
    LearnedModelStatus GetStatus();
}
