using Microsoft.Extensions.Caching.Distributed;
using PredictiveCaching.Replay.Readers;

namespace PredictiveCaching.Replay.Policies;

/// <summary>
/// A prefetch policy under test. The replayer reads and writes through <see cref="Cache"/>, tells the policy about
/// every request, and gives it a cycle once per <see cref="ReplaySettings.CycleInterval"/> of virtual time.
/// </summary>
internal interface IReplayPolicy : IAsyncDisposable
{
    string Name { get; }

    /// <summary>Gets the cache the application uses (the library's decorator, or the inner cache itself).</summary>
    IDistributedCache Cache { get; }

    /// <summary>Called after each request has been applied (for reads: after the miss, if any, was loaded).</summary>
    void OnRequest(in TraceRequest request, bool hit);

    /// <summary>One prefetch cycle at the current virtual time.</summary>
    Task OnCycleAsync();

    /// <summary>Called once after the trace: settle what can be settled (the clock may be advanced).</summary>
    Task FinishAsync();

    /// <summary>Gets the library's own account, for the policies that run the library; otherwise null.</summary>
    LibraryFigures? Library { get; }
}
