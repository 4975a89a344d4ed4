namespace PredictiveCaching.MachineLearning.Training;

/// <summary>
/// One labelled example: the feature vector of a key at a sample time, whether it was read within the lookahead window
/// after it, and the size of its value then.
/// </summary>
/// <param name="Features">The feature vector at the sample time (nothing after it).</param>
/// <param name="Label">Whether the key was read within (sample time, sample time + window].</param>
/// <param name="Weight">How many examples of the true distribution this one stands for (inverse of its sampling rate).</param>
/// <param name="LogSize">log(size + 1) of the value observed when labelled; NaN when unknown or not read.</param>
/// <param name="SampleTicks">The sample time, in UTC ticks.</param>
internal readonly record struct LabelledSample(float[] Features, bool Label, float Weight, float LogSize, long SampleTicks);
