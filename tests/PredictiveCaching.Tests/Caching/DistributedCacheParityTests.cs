using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PredictiveCaching.Caching;
using PredictiveCaching.Loop.Outcomes;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Tests.Caching;

/// <summary>
/// Runs the same script of operations against a raw MemoryDistributedCache and against the decorator over another
/// one, and requires the same outcome at every step: value, null, exception type, and whether an async member threw
/// synchronously, faulted or was cancelled. Where a step states what the raw cache does, that is checked too, so a
/// script that silently stopped exercising expiry (say, the clock not reaching the cache) fails.
/// </summary>
public sealed class DistributedCacheParityTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);
    private static readonly byte[] One = [1, 2, 3];
    private static readonly byte[] Two = [4, 5, 6, 7];
    private static readonly DistributedCacheEntryOptions NoExpiry = new();

    private sealed record Step(string Name, Func<Ctx, Task<string>> Run, string? Expected = null);

    private sealed record Ctx(IDistributedCache Cache, FakeTimeProvider Time, CancellationToken Cancelled);

    public static TheoryData<string> ScriptNames => [.. Scripts.Keys];

    private static readonly Dictionary<string, Step[]> Scripts = new()
    {
        ["RoundTrip"] =
        [
            new("Get missing", c => Sync(() => c.Cache.Get("a")), "null"),
            new("GetAsync missing", c => Async(() => c.Cache.GetAsync("a")), "null"),
            new("Set a", c => Sync(() => c.Cache.Set("a", One, NoExpiry)), "done"),
            new("Get a", c => Sync(() => c.Cache.Get("a")), "value 01-02-03"),
            new("GetAsync a", c => Async(() => c.Cache.GetAsync("a")), "value 01-02-03"),
            new("SetAsync a", c => Async(() => c.Cache.SetAsync("a", Two, NoExpiry)), "done"),
            new("Get a overwritten", c => Sync(() => c.Cache.Get("a")), "value 04-05-06-07"),
            new("Refresh a", c => Sync(() => c.Cache.Refresh("a")), "done"),
            new("RefreshAsync a", c => Async(() => c.Cache.RefreshAsync("a")), "done"),
            new("Refresh missing", c => Sync(() => c.Cache.Refresh("zz"))),
            new("RefreshAsync missing", c => Async(() => c.Cache.RefreshAsync("zz"))),
            new("Remove a", c => Sync(() => c.Cache.Remove("a")), "done"),
            new("Get removed", c => Sync(() => c.Cache.Get("a")), "null"),
            new("SetAsync b", c => Async(() => c.Cache.SetAsync("b", One, NoExpiry)), "done"),
            new("RemoveAsync b", c => Async(() => c.Cache.RemoveAsync("b")), "done"),
            new("GetAsync removed", c => Async(() => c.Cache.GetAsync("b")), "null"),
            new("Remove missing", c => Sync(() => c.Cache.Remove("never"))),
            new("Set empty value", c => Sync(() => c.Cache.Set("e", [], NoExpiry))),
            new("Get empty value", c => Sync(() => c.Cache.Get("e"))),
        ],
        ["NullArguments"] =
        [
            new("Get null key", c => Sync(() => c.Cache.Get(null!)), "throws ArgumentNullException"),
            new("GetAsync null key", c => Async(() => c.Cache.GetAsync(null!))),
            new("Set null key", c => Sync(() => c.Cache.Set(null!, One, NoExpiry)), "throws ArgumentNullException"),
            new("Set null value", c => Sync(() => c.Cache.Set("k", null!, NoExpiry)), "throws ArgumentNullException"),
            new("Set null options", c => Sync(() => c.Cache.Set("k", One, null!)), "throws ArgumentNullException"),
            new("SetAsync null key", c => Async(() => c.Cache.SetAsync(null!, One, NoExpiry))),
            new("SetAsync null value", c => Async(() => c.Cache.SetAsync("k", null!, NoExpiry))),
            new("SetAsync null options", c => Async(() => c.Cache.SetAsync("k", One, null!))),
            new("Refresh null key", c => Sync(() => c.Cache.Refresh(null!)), "throws ArgumentNullException"),
            new("RefreshAsync null key", c => Async(() => c.Cache.RefreshAsync(null!))),
            new("Remove null key", c => Sync(() => c.Cache.Remove(null!)), "throws ArgumentNullException"),
            new("RemoveAsync null key", c => Async(() => c.Cache.RemoveAsync(null!))),
            new("nothing was written", c => Sync(() => c.Cache.Get("k")), "null"),
        ],
        ["EmptyKey"] =
        [
            new("Get empty key", c => Sync(() => c.Cache.Get(string.Empty))),
            new("Set empty key", c => Sync(() => c.Cache.Set(string.Empty, One, NoExpiry))),
            new("GetAsync empty key", c => Async(() => c.Cache.GetAsync(string.Empty))),
            new("Refresh empty key", c => Sync(() => c.Cache.Refresh(string.Empty))),
            new("RemoveAsync empty key", c => Async(() => c.Cache.RemoveAsync(string.Empty))),
            new("Get empty key after remove", c => Sync(() => c.Cache.Get(string.Empty))),
        ],
        ["CancelledToken"] =
        [
            new("Set a", c => Sync(() => c.Cache.Set("a", One, NoExpiry))),
            new("GetAsync cancelled", c => Async(() => c.Cache.GetAsync("a", c.Cancelled))),
            new("SetAsync cancelled", c => Async(() => c.Cache.SetAsync("a", Two, NoExpiry, c.Cancelled))),
            new("RefreshAsync cancelled", c => Async(() => c.Cache.RefreshAsync("a", c.Cancelled))),
            new("RemoveAsync cancelled", c => Async(() => c.Cache.RemoveAsync("a", c.Cancelled))),
            new("SetAsync new key cancelled", c => Async(() => c.Cache.SetAsync("n", Two, NoExpiry, c.Cancelled))),
            new("Get a afterwards", c => Sync(() => c.Cache.Get("a"))),
            new("Get n afterwards", c => Sync(() => c.Cache.Get("n"))),
        ],
        ["AbsoluteExpiry"] =
        [
            new("Set a until +10 s", c => Sync(() => c.Cache.Set("a", One, new DistributedCacheEntryOptions { AbsoluteExpiration = c.Time.GetUtcNow().AddSeconds(10) }))),
            new("+9 s", c => Advance(c, 9)),
            new("Get before expiry", c => Sync(() => c.Cache.Get("a")), "value 01-02-03"),
            new("Refresh does not extend absolute", c => Sync(() => c.Cache.Refresh("a"))),
            new("+2 s", c => Advance(c, 2)),
            new("Get after expiry", c => Sync(() => c.Cache.Get("a")), "null"),
            new("GetAsync after expiry", c => Async(() => c.Cache.GetAsync("a")), "null"),
        ],
        ["RelativeExpiry"] =
        [
            new("SetAsync a for 10 s", c => Async(() => c.Cache.SetAsync("a", One, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(10) }))),
            new("+9.999 s", c => Advance(c, 9.999)),
            new("GetAsync before expiry", c => Async(() => c.Cache.GetAsync("a")), "value 01-02-03"),
            new("+0.002 s", c => Advance(c, 0.002)),
            new("Get after expiry", c => Sync(() => c.Cache.Get("a")), "null"),
        ],
        ["SlidingExpiry"] =
        [
            new("Set a sliding 10 s", c => Sync(() => c.Cache.Set("a", One, new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromSeconds(10) }))),
            new("+8 s", c => Advance(c, 8)),
            new("Get renews", c => Sync(() => c.Cache.Get("a")), "value 01-02-03"),
            new("+8 s again", c => Advance(c, 8)),
            new("Refresh renews", c => Sync(() => c.Cache.Refresh("a"))),
            new("+8 s a third time", c => Advance(c, 8)),
            new("RefreshAsync renews", c => Async(() => c.Cache.RefreshAsync("a"))),
            new("+8 s a fourth time", c => Advance(c, 8)),
            new("GetAsync still there", c => Async(() => c.Cache.GetAsync("a")), "value 01-02-03"),
            new("+11 s idle", c => Advance(c, 11)),
            new("Get after idle", c => Sync(() => c.Cache.Get("a")), "null"),
        ],
        ["SlidingCappedByAbsolute"] =
        [
            new("Set a sliding 10 s, absolute 15 s", c => Sync(() => c.Cache.Set("a", One, new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromSeconds(10), AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(15) }))),
            new("+8 s", c => Advance(c, 8)),
            new("Get renews", c => Sync(() => c.Cache.Get("a")), "value 01-02-03"),
            new("+8 s past absolute", c => Advance(c, 8)),
            new("Get after absolute", c => Sync(() => c.Cache.Get("a")), "null"),
        ],
        ["AbsoluteInThePast"] =
        [
            new("Set a expired already", c => Sync(() => c.Cache.Set("a", One, new DistributedCacheEntryOptions { AbsoluteExpiration = c.Time.GetUtcNow().AddSeconds(-1) }))),
            new("Get a", c => Sync(() => c.Cache.Get("a"))),
            new("SetAsync b expired already", c => Async(() => c.Cache.SetAsync("b", One, new DistributedCacheEntryOptions { AbsoluteExpiration = c.Time.GetUtcNow().AddSeconds(-1) }))),
            new("GetAsync b", c => Async(() => c.Cache.GetAsync("b"))),
        ],
    };

    [Theory]
    [MemberData(nameof(ScriptNames))]
    public async Task Script_RawAndDecorated_SameOutcomeAtEveryStep(string script)
    {
        Step[] steps = Scripts[script];
        IReadOnlyList<string> raw = await RunAsync(steps, decorate: false);
        IReadOnlyList<string> decorated = await RunAsync(steps, decorate: true);

        for (int i = 0; i < steps.Length; i++)
        {
            if (steps[i].Expected is { } expected)
            {
                Assert.True(expected == raw[i], $"{script}/{steps[i].Name}: the raw cache gave '{raw[i]}', the script expects '{expected}'.");
            }

            Assert.True(raw[i] == decorated[i], $"{script}/{steps[i].Name}: raw '{raw[i]}', decorated '{decorated[i]}'.");
        }
    }

    [Fact]
    public async Task Script_Decorated_RecordsIntoTracker()
    {
        var time = new FakeTimeProvider(Start);
        var tracker = new AccessTracker(new TrackingOptions());
        using var sut = new PredictiveDistributedCache(CreateMemoryCache(time), new AccessRecorder(tracker, time, new PrefetchPrecision(new PrefetchOptions()), new RecentReads(), new NoPrefetchCoordination()), ownsInner: true);

        Assert.Null(sut.Get("a"));
        sut.Set("a", One, NoExpiry);
        Assert.Equal(One, sut.Get("a"));
        Assert.Equal(One, await sut.GetAsync("a"));

        Assert.True(tracker.TryGet("a", out KeyAccessStatistics? a));
        Assert.Equal(3, a.ReadCount);
        Assert.Equal(2, a.HitCount);
        Assert.Equal(One.Length, a.LastSize);
    }

    private static async Task<IReadOnlyList<string>> RunAsync(Step[] steps, bool decorate)
    {
        var time = new FakeTimeProvider(Start);
        IDistributedCache inner = CreateMemoryCache(time);
        using var decorator = decorate
            ? new PredictiveDistributedCache(inner, new AccessRecorder(new AccessTracker(new TrackingOptions()), time, new PrefetchPrecision(new PrefetchOptions()), new RecentReads(), new NoPrefetchCoordination()), ownsInner: false)
            : null;
        IDistributedCache cache = (IDistributedCache?)decorator ?? inner;
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var ctx = new Ctx(cache, time, cts.Token);

        var outcomes = new List<string>(steps.Length);
        foreach (Step step in steps)
        {
            outcomes.Add(await step.Run(ctx));
        }

        return outcomes;
    }

    private static MemoryDistributedCache CreateMemoryCache(FakeTimeProvider time) =>
        new(Options.Create(new MemoryDistributedCacheOptions { Clock = new FakeSystemClock(time) }));

    private static Task<string> Advance(Ctx ctx, double seconds)
    {
        ctx.Time.Advance(TimeSpan.FromSeconds(seconds));
        return Task.FromResult("advanced");
    }

    private static Task<string> Sync(Action action) => Sync(() =>
    {
        action();
        return (object?)"done";
    });

    private static Task<string> Sync(Func<object?> func)
    {
        try
        {
            return Task.FromResult(Describe(func()));
        }
        catch (Exception ex)
        {
            return Task.FromResult("throws " + ex.GetType().Name);
        }
    }

    private static async Task<string> Async(Func<Task> start)
    {
        Task task;
        try
        {
            task = start();
        }
        catch (Exception ex)
        {
            return "throws synchronously " + ex.GetType().Name;
        }

        try
        {
            await task;
        }
        catch (Exception ex)
        {
            return (task.IsCanceled ? "task cancelled " : "task faulted ") + ex.GetType().Name;
        }

        return task is Task<byte[]?> withValue ? Describe(withValue.Result) : "done";
    }

    private static string Describe(object? result) => result switch
    {
        null => "null",
        byte[] bytes => "value " + BitConverter.ToString(bytes),
        _ => result.ToString() ?? "null",
    };
}
