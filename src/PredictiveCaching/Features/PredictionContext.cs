using PredictiveCaching.Resources;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Features;

/// <summary>Everything known about one candidate key at the moment it is scored.</summary>
/// <remarks>
/// Passed by reference (<see langword="in"/>) through feature extraction and prediction; never allocated per candidate.
/// What the tracker knew of the key is in <see cref="Statistics"/>, a copy taken when the prediction was asked for.
/// </remarks>
public readonly struct PredictionContext
{
    /// <summary>Initializes a new instance of the <see cref="PredictionContext"/> struct.</summary>
    /// <param name="key">The candidate key.</param>
    /// <param name="statistics">
    /// What the tracker knew of the key when the prediction was asked for, or <see langword="null"/> for a key it does
    /// not track (a sequential neighbour, a hinted key never read).
    /// </param>
    /// <param name="nowTicks">The current time, in UTC ticks.</param>
    /// <param name="lookahead">How far ahead the read is predicted.</param>
    /// <param name="resources">The latest resource snapshot.</param>
    /// <param name="priority">The key's priority level, in [0, 1].</param>
    /// <param name="isSequential">Whether the key was proposed as the next of a sequence.</param>
    /// <param name="prior">
    /// Evidence from how the key was proposed, as a probability: how often it followed the key just read, or how often
    /// sequences of its kind continue; 0 when it was proposed for its own rhythm.
    /// </param>
    /// <param name="sizeHint">A size to assume when the key's own size is unknown, in bytes; -1 when none.</param>
    public PredictionContext(
        string key,
        KeyAccessSnapshot? statistics,
        long nowTicks,
        TimeSpan lookahead,
        ResourceSnapshot resources,
        double priority,
        bool isSequential,
        double prior = 0d,
        long sizeHint = -1)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(resources);
        Key = key;
        Statistics = statistics;
        NowTicks = nowTicks;
        Lookahead = lookahead;
        Resources = resources;
        Priority = priority;
        IsSequential = isSequential;
        Prior = prior;
        SizeHint = sizeHint;
    }

    /// <summary>Gets the candidate key.</summary>
    public string Key { get; }

    /// <summary>
    /// Gets what the tracker knew of the key, as a consistent copy taken when the prediction was asked for;
    /// <see langword="null"/> for a key it does not track (never seen, or evicted from tracking).
    /// </summary>
    /// <remarks>Read it once (<c>if (context.Statistics is { } statistics)</c>) rather than property by property: each read of a nullable value copies it.</remarks>
    public KeyAccessSnapshot? Statistics { get; }

    /// <summary>Gets the current time, in UTC ticks.</summary>
    public long NowTicks { get; }

    /// <summary>Gets how far ahead the read is predicted.</summary>
    public TimeSpan Lookahead { get; }

    /// <summary>Gets the latest resource snapshot.</summary>
    public ResourceSnapshot Resources { get; }

    /// <summary>Gets the key's priority level, in [0, 1] (critical 1.0, high 0.8, normal 0.5, low 0.2).</summary>
    public double Priority { get; }

    /// <summary>Gets a value indicating whether the key was proposed as the next of a sequence.</summary>
    public bool IsSequential { get; }

    /// <summary>Gets the evidence from how the key was proposed (successor or sequence), as a probability in [0, 1].</summary>
    public double Prior { get; }

    /// <summary>Gets a size to assume when the key's own size is unknown, in bytes; -1 when none.</summary>
    public long SizeHint { get; }
}
