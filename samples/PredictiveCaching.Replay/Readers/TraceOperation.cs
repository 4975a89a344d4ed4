namespace PredictiveCaching.Replay.Readers;

/// <summary>What a trace request does to the cache.</summary>
public enum TraceOperation
{
    /// <summary>The application reads the key (Get; on a miss it loads from the origin and Sets).</summary>
    Read,

    /// <summary>The application writes the key (Set), without loading from the origin.</summary>
    Write,

    /// <summary>The application removes the key.</summary>
    Delete,
}
