using Microsoft.Extensions.Caching.Distributed;
using PredictiveCaching.Replay.Readers;

namespace PredictiveCaching.Replay.Policies;

/// <summary>The baseline: read-through caching with TTLs, nothing loaded ahead.</summary>
internal sealed class NoPrefetchPolicy(ReplayContext context) : IReplayPolicy
{
    public const string PolicyName = "none";

    public string Name => PolicyName;

    public IDistributedCache Cache => context.Inner;

    public LibraryFigures? Library => null;

    public void OnRequest(in TraceRequest request, bool hit)
    {
    }

    public Task OnCycleAsync() => Task.CompletedTask;

    public Task FinishAsync() => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
