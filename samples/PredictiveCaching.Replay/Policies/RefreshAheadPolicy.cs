using Microsoft.Extensions.Caching.Distributed;
using PredictiveCaching.Replay.Readers;

namespace PredictiveCaching.Replay.Policies;

/// <summary>
/// TTL refresh-ahead as FusionCache's eager refresh does it: a hit on a copy older than a fixed fraction (0.9 unless
/// given) of its TTL starts a background reload, so the next read finds a fresh copy. The reloaded copy is a prefetch:
/// if it is read it counts as used, though the copy it replaced would have served that read too when it was still
/// within its TTL; only the yield (misses avoided per prefetch) shows that. The reload is done at once: in virtual time a
/// 50 ms origin call completes long before the next request that could notice. Implemented here, not by the library.
/// With a <see cref="RefreshBudget"/> (<c>refresh-ahead-budget</c>) a reload happens only while the bytes reloaded in
/// the budget's window leave room for it: the same rule at the bytes a strategy may spend.
/// </summary>
internal sealed class RefreshAheadPolicy(ReplayContext context, double? fraction = null, RefreshBudget? budget = null) : IReplayPolicy
{
    public const string PolicyName = "refresh-ahead";

    public const string BudgetedPolicyName = "refresh-ahead-budget";

    public string Name { get; } = PolicySpec.Format(budget is null ? PolicyName : BudgetedPolicyName, fraction);

    public IDistributedCache Cache => context.Inner;

    public LibraryFigures? Library => null;

    public void OnRequest(in TraceRequest request, bool hit)
    {
        if (!hit || request.Operation != TraceOperation.Read
            || !context.Inner.TryPeek(request.Key, out long written, out long expires) || expires == long.MaxValue)
        {
            return;
        }

        long now = context.Time.GetUtcNow().UtcTicks;
        long threshold = written + (long)((expires - written) * (fraction ?? context.Settings.RefreshAheadFraction));
        if (now >= threshold && (budget is null || budget.TrySpend(context.Origin.SizeOf(request.Key), now))
            && context.Origin.TryLoadForPrefetch(request.Key, context.Inner, out byte[] value, out DistributedCacheEntryOptions options))
        {
            context.Inner.Set(request.Key, value, options);
        }
    }

    public Task OnCycleAsync() => Task.CompletedTask;

    public Task FinishAsync() => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
