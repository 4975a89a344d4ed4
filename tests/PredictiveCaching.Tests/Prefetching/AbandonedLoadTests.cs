using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using PredictiveCaching.Loop.Admission;
using PredictiveCaching.Loop.Execution;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Tests.Fakes;

namespace PredictiveCaching.Tests.Prefetching;

public sealed class AbandonedLoadTests
{
    [Fact]
    public async Task SourceIgnoringItsToken_FaultsAfterTimeout_NoUnobservedTaskException()
    {
        int unobserved = 0;
        EventHandler<UnobservedTaskExceptionEventArgs> handler = (_, e) =>
        {
            // Other tests run in parallel: count only this test's own exception.
            foreach (Exception inner in e.Exception.InnerExceptions)
            {
                if (inner is AbandonedLoadException)
                {
                    Interlocked.Increment(ref unobserved);
                }
            }
        };

        var source = new IgnoringSource();
        await using LoopHarness h = LoopHarness.Create(
            o => o.Prefetch.Timeout = TimeSpan.FromSeconds(5),
            (builder, _) => builder.AddSource("abandoned:", source.LoadAsync),
            defaultSource: false);
        var budget = h.Provider.GetRequiredService<PrefetchBudget>();
        PrefetchSource resolved = h.Provider.GetRequiredService<PrefetchSourceResolver>().Find("abandoned:1")!;
        TaskScheduler.UnobservedTaskException += handler;
        try
        {
            Assert.Equal(PrefetchStartResult.Started, h.Executor.TryStart("abandoned:1", resolved, 0, TimeSpan.FromMinutes(1), long.MaxValue));
            await source.Called.Task.WaitAsync(TimeSpan.FromSeconds(30));
            h.Time.Advance(TimeSpan.FromSeconds(6));
            await h.Executor.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(1, h.Loader.GetStatus().PrefetchesTimedOut);

            // The origin answers long after the prefetch gave up on it, with a fault nobody awaits.
            source.FaultAndForget();
            ForceFullCollections();
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= handler;
        }

        Assert.Equal(0, Volatile.Read(ref unobserved));
        Assert.True(budget.SpentBytes == 0);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ForceFullCollections()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        GC.WaitForPendingFinalizers();
    }

    private sealed class AbandonedLoadException(string message) : Exception(message);

    /// <summary>Ignores its token; its task ends only when the test faults it, and then the test lets go of it.</summary>
    private sealed class IgnoringSource
    {
        private TaskCompletionSource<PrefetchedValue?>? _pending;

        public TaskCompletionSource Called { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask<PrefetchedValue?> LoadAsync(string key, CancellationToken cancellationToken)
        {
            _pending = new TaskCompletionSource<PrefetchedValue?>();
            Called.TrySetResult();
            return new ValueTask<PrefetchedValue?>(_pending.Task);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        public void FaultAndForget()
        {
            TaskCompletionSource<PrefetchedValue?> pending = Interlocked.Exchange(ref _pending, null)!;
            pending.SetException(new AbandonedLoadException("origin answered after the prefetch gave up"));
        }
    }
}
