using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using PredictiveCaching.Prediction;

namespace PredictiveCaching.Benchmarks;

/// <summary>
/// The hot-path benchmarks CI runs (<c>dotnet run -c Release --project benchmarks/PredictiveCaching.Benchmarks -- ci</c>):
/// a short job, the results printed as markdown, and a non-zero exit when a limit is passed. The limits are the
/// design targets with margin for a shared 2-core CI machine, so they catch regressions, not noise.
/// </summary>
internal static class CiGuard
{
    /// <summary>
    /// Decorator Get/GetAsync hit over the raw MemoryDistributedCache. Target 1.25 (the open performance issue), not the
    /// limit: the decorator's own cost (a dictionary lookup, a locked compare-exchange, the statistics) differs more
    /// between CPUs than the raw hit does, and unchanged code measures 1.2-1.5 in alternating rounds on a Xeon but
    /// 1.74-1.88 on an AVX2-only AMD EPYC. The limit is the slowest CPU's figure with margin. The short job can pass it
    /// with unchanged code on a shared machine, so a ratio over it is measured again in alternating rounds in one process
    /// (<c>readpath</c>), which decides. Measured figures: docs/benchmarks.md.
    /// </summary>
    public const double DecoratorMaxRatio = 2.1;

    /// <summary>
    /// HybridCache decorator's <c>GetOrCreateAsync</c> L1 hit over the same DefaultHybridCache called directly. On a shared
    /// 2-core machine the ratio is mostly noise (docs/benchmarks.md), so this limit only catches a gross regression; the
    /// sharp check is the allocation one: the decorator must add no bytes.
    /// </summary>
    public const double HybridDecoratorMaxRatio = 3.0;

    /// <summary>Recording a read of a tracked key. Target ~50 ns.</summary>
    public const double RecordReadMaxNanoseconds = 120;

    /// <summary>Filling the feature vector for one candidate. Target 150 ns.</summary>
    public const double FeatureExtractionMaxNanoseconds = 300;

    /// <summary>Scoring one candidate with the heuristic. Target a few tens of nanoseconds, as HeuristicScoringBenchmarks says.</summary>
    public const double HeuristicMaxNanoseconds = 200;

    /// <summary>
    /// Compiled tree-ensemble scoring over ML.NET's PredictionEngine on the same model (varied rows; batches of 256), for
    /// the layout that scores on this CPU. Targets: 0.10 per row (10x) and 0.05 per batch (20x). No limit is a target:
    /// each is the slowest CPU's measured cost of unchanged code with the short job's margin, so that a regression fails
    /// on every CI machine and noise on none. The CPU moves the ratio: AVX-512 meets the row target on a Xeon and misses
    /// it on Zen 4, where PredictionEngine is also twice as fast per batch; AVX2 misses both targets; the walk, taken
    /// only where the CPU has neither (e.g. ARM64), is held to its own. The figures:
    /// docs/learned-prediction.md#measured and docs/benchmarks.md.
    /// </summary>
    internal static (double Row, double Batch) CompiledScoringMaxRatios(ScoringLayout layout) => layout switch
    {
        ScoringLayout.Vector512 => (0.14, 0.09),
        ScoringLayout.Vector256 => (0.22, 0.14),
        _ => (0.6, 0.6),
    };

    /// <summary>Every guarded benchmark must allocate nothing beyond its baseline.</summary>
    public const long MaxExtraAllocatedBytes = 0;

    public static int Run()
    {
        // No console logger: the run's chatter stays out of the CI log, which gets only the tables and the verdict.
        IConfig config = ManualConfig.CreateEmpty()
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(5).WithId("ci"))
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddLogger(NullLogger.Instance)
            .WithOptions(ConfigOptions.DisableLogFile);

        Summary[] summaries = BenchmarkRunner.Run(
            [typeof(DecoratorBenchmarks), typeof(HybridDecoratorBenchmarks), typeof(TrackerBenchmarks), typeof(FeatureExtractionBenchmarks), typeof(HeuristicScoringBenchmarks), typeof(ScoringBenchmarks)],
            config);

        // The layout the default model scores with here; ScoringBenchmarks refuses to run if its model took another one,
        // so a machine whose vector path silently fell back to the walk fails the guard.
        ScoringLayout layout = CompiledTreeEnsemble.BestLayout;
        (double row, double batch) = CompiledScoringMaxRatios(layout);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"compiled scoring: {layout} layout on {System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture}, CPU vector width {CpuVectorBits} bits; limits {row}x per varied row, {batch}x per batch of 256"));
        if (layout != ScoringLayout.Vector256 && CompiledTreeEnsemble.Runs(ScoringLayout.Vector256))
        {
            (double forcedRow, double forcedBatch) = CompiledScoringMaxRatios(ScoringLayout.Vector256);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"compiled scoring, AVX2 layout forced: limits {forcedRow}x per varied row, {forcedBatch}x per batch of 256"));
        }

        var failures = new List<string>();
        foreach (Summary summary in summaries)
        {
            MarkdownExporter.Console.ExportToLog(summary, ConsoleLogger.Default);
            foreach (BenchmarkReport report in summary.Reports)
            {
                Check(summary, report, failures);
            }
        }

        foreach (string failure in failures)
        {
            Console.WriteLine("benchmark guard FAILED: " + failure);
        }

        Console.WriteLine(failures.Count == 0 ? "benchmark guard: all limits hold" : $"benchmark guard: {failures.Count} limit(s) passed");
        return failures.Count == 0 ? 0 : 1;
    }

    private static void Check(Summary summary, BenchmarkReport report, List<string> failures)
    {
        string name = report.BenchmarkCase.Descriptor.WorkloadMethod.Name;
        if (report.ResultStatistics is null)
        {
            failures.Add($"{name} produced no result");
            return;
        }

        double mean = report.ResultStatistics.Mean;
        long allocated = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? 0;
        switch (name)
        {
            case nameof(DecoratorBenchmarks.DecoratedGet):
                DecoratorRatio(summary, report, nameof(DecoratorBenchmarks.RawGet), async: false, failures);
                Extra(summary, allocated, nameof(DecoratorBenchmarks.RawGet), name, failures);
                break;
            case nameof(DecoratorBenchmarks.DecoratedGetAsync):
                DecoratorRatio(summary, report, nameof(DecoratorBenchmarks.RawGetAsync), async: true, failures);
                Extra(summary, allocated, nameof(DecoratorBenchmarks.RawGetAsync), name, failures);
                break;
            case nameof(HybridDecoratorBenchmarks.DecoratedGetOrCreateState):
                Ratio(summary, report, nameof(HybridDecoratorBenchmarks.RawGetOrCreateState), HybridDecoratorMaxRatio, failures);
                Extra(summary, allocated, nameof(HybridDecoratorBenchmarks.RawGetOrCreateState), name, failures);
                break;
            case nameof(HybridDecoratorBenchmarks.DecoratedGetOrCreate):
                Ratio(summary, report, nameof(HybridDecoratorBenchmarks.RawGetOrCreate), HybridDecoratorMaxRatio, failures);
                Extra(summary, allocated, nameof(HybridDecoratorBenchmarks.RawGetOrCreate), name, failures);
                break;
            case nameof(ScoringBenchmarks.CompiledRowVaried):
                Ratio(summary, report, nameof(ScoringBenchmarks.PredictionEngineRowVaried), CompiledScoringMaxRatios(CompiledTreeEnsemble.BestLayout).Row, failures);
                Limit(name, mean, double.MaxValue, allocated, failures);
                break;
            case nameof(ScoringBenchmarks.CompiledBatch256):
                Ratio(summary, report, nameof(ScoringBenchmarks.PredictionEngineBatch256), CompiledScoringMaxRatios(CompiledTreeEnsemble.BestLayout).Batch, failures);
                Limit(name, mean, double.MaxValue, allocated, failures);
                break;
            case nameof(ScoringBenchmarks.CompiledRowVariedAvx2) when CompiledTreeEnsemble.Runs(ScoringLayout.Vector256):
                Ratio(summary, report, nameof(ScoringBenchmarks.PredictionEngineRowVaried), CompiledScoringMaxRatios(ScoringLayout.Vector256).Row, failures);
                Limit(name, mean, double.MaxValue, allocated, failures);
                break;
            case nameof(ScoringBenchmarks.CompiledBatch256Avx2) when CompiledTreeEnsemble.Runs(ScoringLayout.Vector256):
                Ratio(summary, report, nameof(ScoringBenchmarks.PredictionEngineBatch256), CompiledScoringMaxRatios(ScoringLayout.Vector256).Batch, failures);
                Limit(name, mean, double.MaxValue, allocated, failures);
                break;
            case nameof(TrackerBenchmarks.RecordReadSameKey):
                Limit(name, mean, RecordReadMaxNanoseconds, allocated, failures);
                break;
            case nameof(HeuristicScoringBenchmarks.Predict):
                Limit(name, mean, HeuristicMaxNanoseconds, allocated, failures);
                break;
            default:
                if (report.BenchmarkCase.Descriptor.Type == typeof(FeatureExtractionBenchmarks))
                {
                    Limit(name, mean, FeatureExtractionMaxNanoseconds, allocated, failures);
                }

                break;
        }
    }

    /// <summary>Gets the widest vectors the JIT accelerates on this CPU.</summary>
    private static int CpuVectorBits =>
        System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? 512
        : System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated ? 256
        : System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated ? 128
        : 0;

    private static void Limit(string name, double mean, double maxNanoseconds, long allocated, List<string> failures)
    {
        if (mean > maxNanoseconds)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{name}: {mean:0.0} ns > {maxNanoseconds} ns"));
        }

        if (allocated > MaxExtraAllocatedBytes)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{name}: allocates {allocated} B per call"));
        }
    }

    // The short job times the raw and the decorated hit in separate processes, and on a shared 2-core machine the load
    // moves between them: a ratio over the limit is measured again in alternating rounds in one process (readpath),
    // against the same limit, and that measurement decides.
    private static void DecoratorRatio(Summary summary, BenchmarkReport report, string baseline, bool async, List<string> failures)
    {
        var first = new List<string>();
        Ratio(summary, report, baseline, DecoratorMaxRatio, first);
        if (first.Count == 0)
        {
            return;
        }

        double confirmed = ReadPathComparison.HotKeyRatio(async);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{first[0]}; measured again in alternating rounds: {confirmed:0.00}x"));
        if (confirmed > DecoratorMaxRatio)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{first[0]}, and {confirmed:0.00}x in alternating rounds"));
        }
    }

    private static void Ratio(Summary summary, BenchmarkReport report, string baseline, double maxRatio, List<string> failures)
    {
        BenchmarkReport? reference = Find(summary, baseline);
        if (reference?.ResultStatistics is null || report.ResultStatistics is null)
        {
            failures.Add($"{baseline} has no result to compare with");
            return;
        }

        double ratio = report.ResultStatistics.Mean / reference.ResultStatistics.Mean;
        if (ratio > maxRatio)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{report.BenchmarkCase.Descriptor.WorkloadMethod.Name}: {ratio:0.00}x {baseline} > {maxRatio}x"));
        }
    }

    private static void Extra(Summary summary, long allocated, string baseline, string name, List<string> failures)
    {
        BenchmarkReport? reference = Find(summary, baseline);
        long baselineAllocated = reference?.GcStats.GetBytesAllocatedPerOperation(reference.BenchmarkCase) ?? 0;
        if (allocated - baselineAllocated > MaxExtraAllocatedBytes)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{name}: {allocated - baselineAllocated} B more than {baseline}"));
        }
    }

    private static BenchmarkReport? Find(Summary summary, string method)
    {
        foreach (BenchmarkReport candidate in summary.Reports)
        {
            if (candidate.BenchmarkCase.Descriptor.WorkloadMethod.Name == method)
            {
                return candidate;
            }
        }

        return null;
    }
}
