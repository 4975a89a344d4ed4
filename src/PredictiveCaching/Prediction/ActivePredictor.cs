namespace PredictiveCaching.Prediction;

/// <summary>
/// The predictor in use. Starts with the heuristic; a trained model replaces it atomically, and readers never lock.
/// </summary>
public sealed class ActivePredictor
{
    private IAccessPredictor _current;

    internal ActivePredictor(IAccessPredictor initial) => _current = initial;

    /// <summary>Gets the predictor in use.</summary>
    public IAccessPredictor Current => Volatile.Read(ref _current);

    /// <summary>Replaces the predictor in use.</summary>
    /// <param name="predictor">The new predictor.</param>
    public void Use(IAccessPredictor predictor)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        Volatile.Write(ref _current, predictor);
    }
}
