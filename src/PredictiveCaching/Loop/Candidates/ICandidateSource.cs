namespace PredictiveCaching.Loop.Candidates;

/// <summary>
/// One mechanism that proposes keys worth scoring (rhythm, expiry, co-access, successors, sequences, application hints),
/// from the reads since the last cycle and its own schedules; never from a scan of the tracked keys.
/// </summary>
/// <remarks>Single consumer: the <see cref="CandidateCollector"/>, once per cycle under the cycle's gate.</remarks>
internal interface ICandidateSource
{
    /// <summary>Learns from <paramref name="reads"/> and adds the candidates due at <paramref name="nowTicks"/>.</summary>
    /// <param name="reads">The reads since the last cycle.</param>
    /// <param name="nowTicks">The cycle's time.</param>
    /// <param name="output">Receives the candidates; a key may be proposed by several sources, the first one wins.</param>
    void Collect(CycleReads reads, long nowTicks, List<Candidate> output);
}
