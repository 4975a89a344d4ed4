using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Resources;

namespace PredictiveCaching.Benchmarks;

/// <summary>
/// The cost of one prefetch cycle per candidate: a round of reads of pages and their images (successor, co-access and
/// rhythm candidates scored by the heuristic), with and without the cycle that follows it, in the same run. The source
/// matches no key, so each candidate goes through collection, presence, scoring and admission and stops before any load:
/// (ReadsThenCycle − Reads) ÷ <see cref="CandidatesPerCycle"/> is the decision cost of one candidate.
/// </summary>
[MemoryDiagnoser]
public class CycleBenchmarks
{
    private ServiceProvider _provider = null!;
    private IDistributedCache _cache = null!;
    private IPredictiveLoader _loader = null!;
    private FakeTimeProvider _time = null!;
    private string[] _keys = null!;

    /// <summary>Gets or sets how many pages a round reads (each followed by its image).</summary>
    [Params(100, 1_000)]
    public int Pages { get; set; }

    /// <summary>Gets or sets whether co-access is among the mechanisms (its episode starts cost the most per read).</summary>
    [Params(true, false)]
    public bool CoAccess { get; set; }

    /// <summary>Gets the candidates the last cycle of the setup proposed (printed in the log).</summary>
    public int CandidatesPerCycle { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        _time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddDistributedMemoryCache();
        services.AddPredictiveLoading(o =>
            {
                o.Strategies.Adaptive = false;
                o.Prefetch.Mechanisms = CoAccess ? PrefetchMechanisms.All : PrefetchMechanisms.All & ~PrefetchMechanisms.CoAccess;
            })
            .AddSource("no-key-has-this-prefix:", static (_, _) => ValueTask.FromResult<PrefetchedValue?>(null));
        services.RemoveAll<IResourceProbe>();
        _provider = services.BuildServiceProvider();
        _cache = _provider.GetRequiredService<IDistributedCache>();
        _loader = _provider.GetRequiredService<IPredictiveLoader>();
        _keys = new string[2 * Pages];
        for (int i = 0; i < Pages; i++)
        {
            _keys[2 * i] = "page:" + i;
            _keys[(2 * i) + 1] = "img:" + i;
        }

        PrefetchCycleResult last = null!;
        for (int round = 0; round < 20; round++)
        {
            Reads();
            last = _loader.RunCycleAsync().GetAwaiter().GetResult();
        }

        CandidatesPerCycle = last.Candidates;
        Console.WriteLine($"// Pages={Pages}, CoAccess={CoAccess}: {last.Candidates} candidates per cycle, {last.Scored} scored, {last.SkippedNoSource} reached a source lookup");
    }

    [GlobalCleanup]
    public void Cleanup() => _provider.Dispose();

    [Benchmark(Baseline = true)]
    public int Reads()
    {
        int found = 0;
        foreach (string key in _keys)
        {
            found += _cache.Get(key) is null ? 0 : 1;
            _time.Advance(TimeSpan.FromMilliseconds(10));
        }

        _time.Advance(TimeSpan.FromSeconds(30));
        return found;
    }

    [Benchmark]
    public int ReadsThenCycle()
    {
        int found = Reads();
        return found + _loader.RunCycleAsync().GetAwaiter().GetResult().Candidates;
    }

    /// <summary>One cycle alone, for tools that measure it apart from the reads (not a benchmark).</summary>
    public int CycleOnly() => _loader.RunCycleAsync().GetAwaiter().GetResult().Candidates;
}
