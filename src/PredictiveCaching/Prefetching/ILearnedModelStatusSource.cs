namespace PredictiveCaching.Prefetching;

/// <summary>Supplies <see cref="PredictiveLoaderStatus.Model"/>; registered by the ML package.</summary>
internal interface ILearnedModelStatusSource
{
    LearnedModelStatus GetStatus();
}
