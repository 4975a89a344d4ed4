using Microsoft.Extensions.Time.Testing;
using PredictiveCaching.Replay.Readers;
using PredictiveCaching.Replay.Simulation;

namespace PredictiveCaching.Replay.Policies;

/// <summary>What a policy is built on: the virtual clock, the inner cache, the origin, and a way to re-read the trace.</summary>
internal sealed record ReplayContext(
    FakeTimeProvider Time,
    VirtualCache Inner,
    SimulatedOrigin Origin,
    ReplaySettings Settings,
    Func<IEnumerable<TraceRequest>> OpenTrace);
