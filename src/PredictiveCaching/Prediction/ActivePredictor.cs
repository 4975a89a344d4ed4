namespace PredictiveCaching.Prediction;

/// <summary>
/// The predictor in use. Starts with the heuristic; a trained model replaces it atomically, and readers never lock.
/// </summary>
public sealed class ActivePredictor
{
    private IAccessPredictor _current;

    /// <summary>Initializes a new instance of the <see cref="ActivePredictor"/> class.</summary>
    /// <param name="initial">The predictor in use until another replaces it; usually <see cref="Heuristic"/>.</param>
    /// <remarks>
    /// The core registers one starting with <see cref="Heuristic"/>; a package that loads a saved model before the first
    /// cycle registers its own in its place.
    /// </remarks>
    public ActivePredictor(IAccessPredictor initial)
    {
        ArgumentNullException.ThrowIfNull(initial);
        _current = initial;
    }

    /// <summary>
    /// Gets the built-in statistical predictor (each key's rhythm of reads combined with how it was proposed; see
    /// docs/prediction-loop.md): what the loop uses without a model, and what a training package returns to when it
    /// retires one. Stateless and shared.
    /// </summary>
    public static IAccessPredictor Heuristic { get; } = new HeuristicAccessPredictor();

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
