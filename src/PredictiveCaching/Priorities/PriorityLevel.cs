namespace PredictiveCaching.Priorities;

/// <summary>
/// How much a key matters to the application; weighs warming and the confidence of its predictions. The default value
/// is <see cref="Normal"/>, the level of every key no rule names.
/// </summary>
public enum PriorityLevel
{
    /// <summary>Low priority (0.2 by default).</summary>
    Low = -1,

    /// <summary>Normal priority (0.5 by default), for every key no rule names.</summary>
    Normal = 0,

    /// <summary>High priority (0.8 by default).</summary>
    High = 1,

    /// <summary>Critical priority (1.0 by default).</summary>
    Critical = 2,
}
