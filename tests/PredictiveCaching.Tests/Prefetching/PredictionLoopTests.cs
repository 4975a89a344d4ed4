using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using PredictiveCaching.Loop.Candidates;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Strategies;
using PredictiveCaching.Tests.Fakes;

namespace PredictiveCaching.Tests.Prefetching;

public sealed class PredictionLoopTests
{
    private static readonly TimeSpan Ttl30 = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task RhythmicKey_ReadEvery60sWith30sTtl_IsRefreshedBeforeItsNextRead()
    {
        await using LoopHarness h = LoopHarness.Create();

        // Three reads a minute apart: each one misses, because the copy lives 30 s.
        for (int i = 0; i < 3; i++)
        {
            Assert.False(await h.ReadAsync("report:daily", Ttl30));
            await h.AdvanceAsync(TimeSpan.FromSeconds(60));
        }

        // From now on the prediction loop refreshes the copy just before each read.
        for (int i = 0; i < 3; i++)
        {
            Assert.True(await h.ReadAsync("report:daily", Ttl30));
            await h.AdvanceAsync(TimeSpan.FromSeconds(60));
        }

        PredictiveLoaderStatus status = h.Loader.GetStatus();
        Assert.True(status.PrefetchesUsed >= 3, $"used {status.PrefetchesUsed}");
        Assert.Equal(0, status.PrefetchesWasted);
    }

    [Fact]
    public async Task Mechanisms_WithoutRhythmAndExpiry_TheRhythmicKeyIsNotRefreshed()
    {
        await using LoopHarness h = LoopHarness.Create(o => o.Prefetch.Mechanisms = PrefetchMechanisms.Successors | PrefetchMechanisms.CoAccess | PrefetchMechanisms.Sequences);

        for (int i = 0; i < 6; i++)
        {
            Assert.False(await h.ReadAsync("report:daily", Ttl30));
            await h.AdvanceAsync(TimeSpan.FromSeconds(60));
        }

        Assert.Equal(0, h.Loader.GetStatus().PrefetchesStarted);
    }

    [Fact]
    public async Task KeyReadOnce_IsNeverPrefetched()
    {
        await using LoopHarness h = LoopHarness.Create();

        await h.ReadAsync("once", Ttl30);
        await h.AdvanceAsync(TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(5));

        Assert.Equal(1, h.Origin.LoadsOf("once"));
        Assert.Equal(0, h.Loader.GetStatus().PrefetchesStarted);
    }

    [Fact]
    public async Task Successor_AfterAIsReadBIsPrefetched()
    {
        await using LoopHarness h = LoopHarness.Create();
        TimeSpan shortTtl = TimeSpan.FromSeconds(2);

        // A is always followed by B within a second; both expire quickly so B would miss every time.
        for (int i = 0; i < 4; i++)
        {
            await h.ReadAsync("order:17", shortTtl);
            h.Time.Advance(TimeSpan.FromSeconds(1));
            await h.ReadAsync("customer:4", shortTtl);
            h.Time.Advance(TimeSpan.FromSeconds(30));
            await h.CycleAsync();
        }

        int loadsBefore = h.Origin.LoadsOf("customer:4");
        await h.ReadAsync("order:17", shortTtl);
        await h.CycleAsync();
        h.Time.Advance(TimeSpan.FromSeconds(1));

        Assert.True(await h.ReadAsync("customer:4", shortTtl));
        Assert.Equal(loadsBefore + 1, h.Origin.LoadsOf("customer:4"));
    }

    [Fact]
    public async Task Sequence_PagesReadInOrderAgain_NextPageIsPrefetched()
    {
        await using LoopHarness h = LoopHarness.Create();

        // A first run shows that page:6 exists and that runs of the prefix go on; the copies then expire.
        await ReadPagesAsync(h, 1, 6);
        h.Time.Advance(TimeSpan.FromMinutes(10));
        await ReadPagesAsync(h, 1, 5);

        // page:5 was read as the continuation of a sequence: page:6 must be waiting.
        Assert.True(await h.ReadAsync("page:6", TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public async Task Sequence_TwoMembersReadTwice_DoesNotGuessTheNeverSeenThird()
    {
        await using LoopHarness h = LoopHarness.Create(o => o.Strategies.Initial = PredictiveCaching.Strategies.PrefetchStrategyKind.Aggressive);

        for (int run = 0; run < 2; run++)
        {
            await ReadPagesAsync(h, 5, 6);
            h.Time.Advance(TimeSpan.FromMinutes(10));
            await h.CycleAsync();
        }

        Assert.Equal(0, h.Origin.LoadsOf("page:7"));
    }

    [Fact]
    public async Task Sequence_RunsThatRoutinelyContinue_ProposeTheNext()
    {
        await using LoopHarness h = LoopHarness.Create();

        for (int run = 0; run < 3; run++)
        {
            await ReadPagesAsync(h, 1, 20);
            h.Time.Advance(TimeSpan.FromMinutes(10));
        }

        int hitsBefore = h.Hits;
        await ReadPagesAsync(h, 1, 20);

        // Every page after the second one was waiting; nothing past page:20 was ever read, so nothing is guessed there.
        Assert.True(h.Hits - hitsBefore >= 17, $"{h.Hits - hitsBefore} of 20 pages were hits");
        Assert.Equal(0, h.Origin.LoadsOf("page:21"));
    }

    private static async Task ReadPagesAsync(LoopHarness h, int first, int last)
    {
        for (int page = first; page <= last; page++)
        {
            await h.ReadAsync($"page:{page}", TimeSpan.FromMinutes(5));
            await h.CycleAsync();
            h.Time.Advance(TimeSpan.FromSeconds(1));
        }
    }

    [Fact]
    public async Task Budget_WhenExhausted_StopsPrefetching()
    {
        // Room for one 32-byte value per window, and two keys due at the same moment (the default cap, an eighth of
        // the budget, would rule both out before the budget does).
        await using LoopHarness h = LoopHarness.Create(o =>
        {
            o.Strategies.Balanced.PrefetchBudgetBytes = 40;
            o.Prefetch.MaxValueBytes = 40;
        });
        h.Origin.Size = 32;

        await ReadRhythmicallyAsync(h, 5, "k1", "k2");

        Assert.Equal(1, h.Results.Sum(r => r.Started));
        Assert.True(h.Results.Sum(r => r.SkippedBudget) >= 1);
    }

    [Fact]
    public async Task Threshold_WhenPredictionsFallBelowIt_NothingIsPrefetched()
    {
        // Four regular intervals give evidence 4 / 4.5 = 0.89: enough for Balanced (0.7), not for Conservative (0.9).
        await using LoopHarness conservative = LoopHarness.Create(o => o.Strategies.Initial = PrefetchStrategyKind.Conservative);
        await using LoopHarness balanced = LoopHarness.Create();

        await ReadRhythmicallyAsync(conservative, 5, "k");
        await ReadRhythmicallyAsync(balanced, 5, "k");

        Assert.Equal(0, conservative.Results.Sum(r => r.Started));
        Assert.True(conservative.Results.Sum(r => r.SkippedBelowThreshold) >= 1);
        Assert.True(balanced.Results.Sum(r => r.Started) >= 1);
    }

    [Fact]
    public async Task ApplicationWrite_DuringSlowLoad_IsNotOverwritten()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var armed = new ArmedSource(async (key, ct) =>
        {
            await release.Task.WaitAsync(ct);
            return new PrefetchedValue("prefetched"u8.ToArray());
        });
        await using LoopHarness h = LoopHarness.Create(build: armed.Register, defaultSource: false);

        await h.LearnSuccessorAsync("a", "b");
        armed.Arm();
        await h.Cache.GetAsync("a");
        PrefetchCycleResult result = await h.Loader.RunCycleAsync();
        Assert.Equal(1, result.Started);

        await h.Cache.SetAsync("b", "application"u8.ToArray(), new DistributedCacheEntryOptions());
        release.SetResult();
        await h.Executor.WhenIdleAsync();

        Assert.Equal("application"u8.ToArray(), await h.Cache.GetAsync("b"));
        Assert.Equal(1, h.Loader.GetStatus().PrefetchesSuperseded);
    }

    [Fact]
    public async Task ApplicationWrite_DuringPrefetchWrite_WaitsAndLandsLast()
    {
        await using LoopHarness h = LoopHarness.Create();
        await h.LearnSuccessorAsync("a", "b");

        var prefetchWriteStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releasePrefetchWrite = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Inner.BeforeSet = (key, value) =>
        {
            if (key == "b" && value.Length == h.Origin.Size)
            {
                prefetchWriteStarted.TrySetResult();
                return releasePrefetchWrite.Task;
            }

            return Task.CompletedTask;
        };

        await h.Cache.GetAsync("a");
        await h.Loader.RunCycleAsync();
        await prefetchWriteStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Task applicationWrite = h.Cache.SetAsync("b", "application"u8.ToArray(), new DistributedCacheEntryOptions());
        Assert.False(applicationWrite.IsCompleted);

        releasePrefetchWrite.SetResult();
        await applicationWrite.WaitAsync(TimeSpan.FromSeconds(30));
        await h.Executor.WhenIdleAsync();

        Assert.Equal("application"u8.ToArray(), await h.Cache.GetAsync("b"));
    }

    [Fact]
    public async Task ThrowingSource_ReadsAreUnaffectedAndFailureIsCounted()
    {
        var armed = new ArmedSource(static (_, _) => throw new InvalidOperationException("origin down"));
        await using LoopHarness h = LoopHarness.Create(build: armed.Register, defaultSource: false);

        await h.LearnSuccessorAsync("a", "b");
        armed.Arm();
        h.Time.Advance(TimeSpan.FromSeconds(2)); // let the copy prefetched during set-up expire
        await h.ReadAsync("a", TimeSpan.FromMinutes(5));
        await h.CycleAsync();

        Assert.False(await h.ReadAsync("b", TimeSpan.FromSeconds(1)));
        Assert.Equal(1, h.Loader.GetStatus().PrefetchesFailed);

        // One failure does not open the source's breaker (SourceResilienceTests cover when it does).
        h.Time.Advance(TimeSpan.FromSeconds(0.5));
        await h.Cache.RemoveAsync("b");
        await h.Cache.GetAsync("a");
        PrefetchCycleResult retry = await h.CycleAsync();
        Assert.Equal(0, retry.SkippedBreakerOpen);
        Assert.Equal(2, h.Loader.GetStatus().PrefetchesFailed);
    }

    [Fact]
    public async Task HangingSource_TimesOutWithoutBlockingReads()
    {
        var called = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var armed = new ArmedSource(async (_, _) =>
        {
            called.TrySetResult();
            await Task.Delay(Timeout.Infinite, CancellationToken.None); // ignores its token on purpose
            return null;
        });
        await using LoopHarness h = LoopHarness.Create(o => o.Prefetch.Timeout = TimeSpan.FromSeconds(5), armed.Register, defaultSource: false);

        await h.LearnSuccessorAsync("a", "b");
        armed.Arm();
        await h.Cache.GetAsync("a");
        PrefetchCycleResult result = await h.Loader.RunCycleAsync();
        Assert.Equal(1, result.Started);

        // The application keeps reading while the load hangs.
        Assert.NotNull(await h.Cache.GetAsync("a"));

        // The source runs once its time limit is armed; only then does advancing virtual time expire it.
        await called.Task.WaitAsync(TimeSpan.FromSeconds(30));
        h.Time.Advance(TimeSpan.FromSeconds(6));
        await h.Executor.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, h.Loader.GetStatus().PrefetchesTimedOut);
        Assert.Equal(0, h.Executor.Running);
    }

    [Fact]
    public async Task Shutdown_CancelsPrefetchesInFlight()
    {
        var observedCancellation = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var armed = new ArmedSource(async (_, ct) =>
        {
            entered.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                observedCancellation.SetResult();
                throw;
            }

            return null;
        });
        await using LoopHarness h = LoopHarness.Create(build: armed.Register, defaultSource: false);

        await h.LearnSuccessorAsync("a", "b");
        armed.Arm();
        await h.Cache.GetAsync("a");
        await h.Loader.RunCycleAsync();

        // Stopping before the load reached the source would cancel it before the source could observe anything.
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, h.Executor.Running);

        await h.Executor.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));

        await observedCancellation.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, h.Executor.Running);
    }

    [Fact]
    public async Task NoSource_KeysArePredictedButNotPrefetched()
    {
        await using LoopHarness h = LoopHarness.Create(defaultSource: false);
        await h.LearnSuccessorAsync("a", "b");
        await h.Cache.GetAsync("a");

        PrefetchCycleResult result = await h.CycleAsync();

        Assert.Equal(0, result.Started);
        Assert.NotNull(result.PausedReason);
    }

    [Fact]
    public async Task Predict_RhythmicKey_ReportsProbabilityAboveThresholdAndConfidenceFromFormula()
    {
        await using LoopHarness h = LoopHarness.Create();
        for (int i = 0; i < 5; i++)
        {
            await h.ReadAsync("k", Ttl30);
            h.Time.Advance(TimeSpan.FromSeconds(60));
        }

        KeyPrediction prediction = h.Loader.Predict(new PredictionRequest("k"));

        Assert.True(prediction.MeetsThreshold);
        Assert.Equal("Balanced", prediction.Strategy);
        Assert.Equal(32, prediction.PredictedSizeBytes);
        double expected = PredictiveCaching.Prediction.PredictionConfidence.Compute(
            prediction.Probability, 0.8, PredictiveCaching.Resources.ResourceSnapshot.Unknown, 0.5, false, 32);
        Assert.Equal(expected, prediction.Confidence, 12);
    }

    private static async Task ReadRhythmicallyAsync(LoopHarness h, int reads, params string[] keys)
    {
        for (int i = 0; i < reads; i++)
        {
            foreach (string key in keys)
            {
                await h.ReadAsync(key, Ttl30);
            }

            await h.AdvanceAsync(TimeSpan.FromSeconds(60));
        }
    }

    /// <summary>A source that loads from the origin while the test sets up, and behaves as the test wants once armed.</summary>
    private sealed class ArmedSource(Func<string, CancellationToken, ValueTask<PrefetchedValue?>> armed)
    {
        private FakeOrigin? _origin;
        private volatile bool _armed;

        public void Arm() => _armed = true;

        public void Register(IPredictiveLoadingBuilder builder, FakeOrigin origin)
        {
            _origin = origin;
            builder.AddSource(static _ => true, LoadAsync);
        }

        private ValueTask<PrefetchedValue?> LoadAsync(string key, CancellationToken cancellationToken) =>
            _armed ? armed(key, cancellationToken) : ValueTask.FromResult<PrefetchedValue?>(new PrefetchedValue(_origin!.Load(key)));
    }
}
