namespace PredictiveCaching.Priorities;

/// <summary>The weight each priority level gives a prediction, in [0, 1].</summary>
internal readonly record struct PriorityWeights(double Critical, double High, double Normal, double Low)
{
    public double WeightOf(PriorityLevel level) => level switch
    {
        PriorityLevel.Critical => Critical,
        PriorityLevel.High => High,
        PriorityLevel.Low => Low,
        _ => Normal,
    };
}
