namespace PredictiveCaching.MachineLearning.Training;

/// <summary>One row as ML.NET sees it. The length of <see cref="Features"/> is set at run time through a schema definition.</summary>
internal sealed class TrainingRow
{
    /// <summary>Gets or sets the feature vector.</summary>
    public float[] Features { get; set; } = [];

    /// <summary>Gets or sets whether the key was read within the window.</summary>
    public bool Label { get; set; }

    /// <summary>Gets or sets the weight the classifier trains with: the sample weight times the class-balance factor.</summary>
    public float Weight { get; set; }

    /// <summary>Gets or sets the weight in the true distribution, used by calibration and evaluation.</summary>
    public float SampleWeight { get; set; }

    /// <summary>Gets or sets log(size + 1), for the size regressor.</summary>
    public float LogSize { get; set; }
}

/// <summary>What ML.NET's calibrated classifier pipeline predicts for a row.</summary>
internal sealed class ClassifierPrediction
{
    /// <summary>Gets or sets the raw score of the ensemble.</summary>
    public float Score { get; set; }

    /// <summary>Gets or sets the calibrated probability.</summary>
    public float Probability { get; set; }
}

/// <summary>What ML.NET's size regressor predicts for a row.</summary>
internal sealed class SizePrediction
{
    /// <summary>Gets or sets the predicted log(size + 1).</summary>
    public float Score { get; set; }
}
