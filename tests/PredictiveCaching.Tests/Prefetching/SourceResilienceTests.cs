using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Polly.CircuitBreaker;
using PredictiveCaching.Loop.Execution;
using PredictiveCaching.Loop.Outcomes;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Tests.Fakes;
using Xunit.Abstractions;

namespace PredictiveCaching.Tests.Prefetching;

public sealed class SourceResilienceTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task OkSource_BesideHangingAndThrowingSources_KeepsNinetyPercentOfItsLoads()
    {
        int alone = await CountOkLoadsAsync(withBadSources: false);
        (int beside, PrefetchStatistics statistics) = await CountOkLoadsBesideBadSourcesAsync();

        output.WriteLine($"ok: loads alone {alone}, beside hang: and throw: {beside} ({100d * beside / alone:0.0} %); breaker openings {statistics.BreakerOpenings}, timed out {statistics.TimedOut}, failed {statistics.Failed}");
        Assert.True(beside >= 0.9 * alone, $"ok: kept {beside} of {alone} loads");
        Assert.True(statistics.BreakerOpenings >= 2, $"breaker openings {statistics.BreakerOpenings}");
    }

    [Fact]
    public async Task ThrowingCanLoad_IsContainedPerKey_CountedAndLoggedOncePerSource()
    {
        int okLoads = 0;
        await using LoopHarness h = LoopHarness.Create(
            build: (b, _) =>
            {
                b.Services.AddLogging(logging => logging.AddFakeLogging());
                b.AddSource(static key => key.StartsWith("bad:", StringComparison.Ordinal) ? throw new InvalidOperationException("predicate broke") : false, static (_, _) => ValueTask.FromResult<PrefetchedValue?>(null));
                b.AddSource(static _ => true, (_, _) =>
                {
                    Interlocked.Increment(ref okLoads);
                    return ValueTask.FromResult<PrefetchedValue?>(new PrefetchedValue(new byte[8]));
                });
            },
            defaultSource: false);
        var resolver = h.Provider.GetRequiredService<PrefetchSourceResolver>();

        // Keys the broken predicate throws for still find the next source; so do all the others.
        for (int i = 0; i < 10; i++)
        {
            foreach (string key in (string[])[$"bad:{i}", $"fine:{i}"])
            {
                PrefetchSource? source = resolver.Find(key);
                Assert.NotNull(source);
                Assert.Equal(PrefetchStartResult.Started, h.Executor.TryStart(key, source, 0, Window, long.MaxValue));
            }

            // Two sources share four slots two by two: let each pair end before the next.
            await h.Executor.WhenIdleAsync();
        }

        Assert.Equal(20, okLoads);
        Assert.Equal(10, h.Provider.GetRequiredService<PrefetchStatistics>().CanLoadFailed);
        IReadOnlyList<FakeLogRecord> logged = [.. h.Provider.GetFakeLogCollector().GetSnapshot().Where(r => r.Id.Name == "PrefetchSourceCanLoadFailed")];
        FakeLogRecord record = Assert.Single(logged);
        Assert.Equal(LogLevel.Warning, record.Level);
        Assert.IsType<InvalidOperationException>(record.Exception);
        Assert.Contains("#1", record.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThrowingCanLoad_InACycle_DoesNotFailTheCycle()
    {
        // The broken source is asked first about every key; the origin's source behind it still gets them all.
        await using LoopHarness h = LoopHarness.Create(
            build: static (b, origin) =>
            {
                b.AddSource(static _ => throw new InvalidOperationException("predicate broke"), static (_, _) => ValueTask.FromResult<PrefetchedValue?>(null));
                b.AddSource(static _ => true, (key, _) => ValueTask.FromResult<PrefetchedValue?>(new PrefetchedValue(origin.Load(key))));
            },
            defaultSource: false);

        for (int i = 0; i < 4; i++)
        {
            await h.ReadAsync("a", TimeSpan.FromMinutes(5));
            h.Time.Advance(TimeSpan.FromSeconds(1));
            await h.ReadAsync("b", TimeSpan.FromSeconds(1));
            h.Time.Advance(TimeSpan.FromSeconds(30));
            await h.CycleAsync();
        }

        Assert.True(h.Loader.GetStatus().PrefetchesCompleted >= 1);
        Assert.True(h.Provider.GetRequiredService<PrefetchStatistics>().CanLoadFailed >= 1);
    }

    [Fact]
    public async Task Breaker_OpensAfterFailures_WarnsOnce_ProbesAfterTheBreak_AndClosesOnSuccess()
    {
        bool failing = true;
        int loads = 0;
        await using LoopHarness h = LoopHarness.Create(
            o =>
            {
                o.Prefetch.BreakerMinimumThroughput = 4;
                o.Prefetch.BreakDuration = TimeSpan.FromSeconds(5);
            },
            (b, _) =>
            {
                b.Services.AddLogging(logging => logging.AddFakeLogging());
                b.AddSource("s:", (_, _) =>
                {
                    Interlocked.Increment(ref loads);
                    return Volatile.Read(ref failing)
                        ? throw new InvalidOperationException("origin down")
                        : ValueTask.FromResult<PrefetchedValue?>(new PrefetchedValue(new byte[8]));
                });
            },
            defaultSource: false);
        PrefetchSource source = h.Provider.GetRequiredService<PrefetchSourceResolver>().Find("s:0")!;
        int key = 0;
        PrefetchStartResult Start() => h.Executor.TryStart($"s:{key++}", source, 0, Window, long.MaxValue);

        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(PrefetchStartResult.Started, Start());
            await h.Executor.WhenIdleAsync();
        }

        Assert.Equal(CircuitState.Open, source.BreakerState);
        Assert.Equal(PrefetchStartResult.BreakerOpen, source.CanStart(h.Time.GetUtcNow().UtcTicks));
        Assert.Equal(PrefetchStartResult.BreakerOpen, Start());
        Assert.Equal(4, loads);

        // After the break one probe goes through; it fails, so the breaker opens again for twice as long.
        h.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(PrefetchStartResult.Started, Start());
        Assert.Equal(PrefetchStartResult.BreakerOpen, Start());
        await h.Executor.WhenIdleAsync();
        Assert.Equal(5, loads);
        Assert.Equal(CircuitState.Open, source.BreakerState);
        h.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(PrefetchStartResult.BreakerOpen, Start());

        // The origin recovers: the next probe closes the breaker and loads flow again.
        Volatile.Write(ref failing, false);
        h.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(PrefetchStartResult.Started, Start());
        await h.Executor.WhenIdleAsync();
        Assert.Equal(CircuitState.Closed, source.BreakerState);
        Assert.Equal(PrefetchStartResult.Started, Start());
        await h.Executor.WhenIdleAsync();
        Assert.Equal(7, loads);

        IReadOnlyList<FakeLogRecord> records = h.Provider.GetFakeLogCollector().GetSnapshot();
        List<FakeLogRecord> opened = [.. records.Where(r => r.Id.Name == "PrefetchSourceBreakerOpened")];
        Assert.Equal(2, opened.Count);
        Assert.All(opened, r => Assert.Equal(LogLevel.Warning, r.Level));
        Assert.All(opened, r => Assert.IsType<InvalidOperationException>(r.Exception));
        Assert.Contains("prefix 's:'", opened[0].Message, StringComparison.Ordinal);
        FakeLogRecord closed = Assert.Single(records, r => r.Id.Name == "PrefetchSourceBreakerClosed");
        Assert.Equal(LogLevel.Information, closed.Level);
        Assert.Equal(2, h.Provider.GetRequiredService<PrefetchStatistics>().BreakerOpenings);
    }

    [Fact]
    public async Task SourceAtItsLimit_IsSkippedAsBusy_AndLeavesSlotsToTheOthers()
    {
        var release = new TaskCompletionSource<PrefetchedValue?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using LoopHarness h = LoopHarness.Create(
            o => o.Prefetch.MaxConcurrency = 4,
            (b, _) =>
            {
                b.AddSource("slow:", (_, _) => new ValueTask<PrefetchedValue?>(release.Task));
                b.AddSource("fast:", static (_, _) => ValueTask.FromResult<PrefetchedValue?>(null));
            },
            defaultSource: false);
        var resolver = h.Provider.GetRequiredService<PrefetchSourceResolver>();
        PrefetchSource slow = resolver.Find("slow:0")!;
        PrefetchSource fast = resolver.Find("fast:0")!;

        Assert.Equal(PrefetchStartResult.Started, h.Executor.TryStart("slow:0", slow, 0, Window, long.MaxValue));
        Assert.Equal(PrefetchStartResult.Started, h.Executor.TryStart("slow:1", slow, 0, Window, long.MaxValue));
        Assert.Equal(PrefetchStartResult.SourceBusy, h.Executor.TryStart("slow:2", slow, 0, Window, long.MaxValue));
        Assert.Equal(PrefetchStartResult.SourceBusy, slow.CanStart(h.Time.GetUtcNow().UtcTicks));
        Assert.Equal(PrefetchStartResult.Started, h.Executor.TryStart("fast:0", fast, 0, Window, long.MaxValue));
        Assert.Equal(PrefetchStartResult.Started, h.Executor.TryStart("fast:1", fast, 0, Window, long.MaxValue));

        release.SetResult(null);
        await h.Executor.WhenIdleAsync();
        Assert.Equal(0, slow.Running);
        Assert.Equal(0, h.Executor.Running);
    }

    private static async Task<int> CountOkLoadsAsync(bool withBadSources)
    {
        var ok = new CountingSource();
        await using LoopHarness h = CreateThreeSourceHarness(ok, withBadSources);
        await DriveAsync(h, withBadSources);
        return ok.Loads;
    }

    private static async Task<(int Loads, PrefetchStatistics Statistics)> CountOkLoadsBesideBadSourcesAsync()
    {
        var ok = new CountingSource();
        await using LoopHarness h = CreateThreeSourceHarness(ok, withBadSources: true);
        await DriveAsync(h, withBadSources: true);
        return (ok.Loads, h.Provider.GetRequiredService<PrefetchStatistics>());
    }

    private static LoopHarness CreateThreeSourceHarness(CountingSource ok, bool withBadSources) =>
        LoopHarness.Create(
            o =>
            {
                o.Prefetch.MaxConcurrency = 4;
                o.Prefetch.Timeout = TimeSpan.FromSeconds(5);
            },
            (b, _) =>
            {
                if (withBadSources)
                {
                    // Never completes unless cancelled.
                    b.AddSource("hang:", HangAsync);
                    b.AddSource("throw:", Throw);
                }

                b.AddSource("ok:", ok.LoadAsync);
            },
            defaultSource: false);

    /// <summary>
    /// Two minutes of virtual time in one-second cycles; each offers two fresh keys per source, the bad sources' first
    /// (as if ranked higher), and waits for every load but the hanging ones before time moves on.
    /// </summary>
    private static async Task DriveAsync(LoopHarness h, bool withBadSources)
    {
        var resolver = h.Provider.GetRequiredService<PrefetchSourceResolver>();
        string[] prefixes = withBadSources ? ["hang:", "throw:", "ok:"] : ["ok:"];
        for (int step = 0; step < 120; step++)
        {
            h.Time.Advance(TimeSpan.FromSeconds(1));
            foreach (string prefix in prefixes)
            {
                for (int i = 0; i < 2; i++)
                {
                    string key = $"{prefix}{step}:{i}";
                    PrefetchSource source = resolver.Find(key)!;
                    if (source.CanStart(h.Time.GetUtcNow().UtcTicks) == PrefetchStartResult.Started)
                    {
                        h.Executor.TryStart(key, source, 0, Window, long.MaxValue);
                    }
                }
            }

            await h.Executor.WhenIdleAsync(static key => !key.StartsWith("hang:", StringComparison.Ordinal)).WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    private static async ValueTask<PrefetchedValue?> HangAsync(string key, CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return null;
    }

    private static ValueTask<PrefetchedValue?> Throw(string key, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("origin down");

    private sealed class CountingSource
    {
        private int _loads;

        public int Loads => Volatile.Read(ref _loads);

        public ValueTask<PrefetchedValue?> LoadAsync(string key, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _loads);
            return ValueTask.FromResult<PrefetchedValue?>(new PrefetchedValue(new byte[16]));
        }
    }
}
