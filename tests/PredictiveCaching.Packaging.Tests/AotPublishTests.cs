using System.Diagnostics;
using System.Text.RegularExpressions;

namespace PredictiveCaching.Packaging.Tests;

/// <summary>
/// The core package is trimming- and AOT-compatible: samples/PredictiveCaching.AotSample is published with native AOT
/// and its binary run. A trim or AOT warning (IL2xxx, IL3xxx) or a method the compiler replaced by a throw fails it.
/// </summary>
public sealed partial class AotPublishTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("predictive-caching-aot-").FullName;

    // Not yet true: ILC replaces AddPredictiveLoading(IConfiguration), AddSource(..., Task<byte[]?>) and, without -O, a
    // quarter of the library's methods by a BadImageFormatException throw; the native sample aborts with it. CoreCLR
    // JITs every one of those methods (RuntimeHelpers.PrepareMethod). Cause not found yet: see docs/contributing.md.
    [Fact]
    public async Task PublishAot_Sample_HasNoTrimOrAotWarnings_AndRunsNatively()
    {
        string root = PackageConsumptionTests.RepositoryRoot();
        string output = Path.Combine(_work, "publish");
        var clock = Stopwatch.StartNew();
        string log = await DotNetCli.RunAsync(
            root,
            "publish", "samples/PredictiveCaching.AotSample/PredictiveCaching.AotSample.csproj", "-c", "Release", "-o", output,
            "-p:TreatWarningsAsErrors=true", "-p:TrimmerSingleWarn=false");
        clock.Stop();

        // ILC prints "Method '…' will always throw because: …" as a message, not a warning: it is checked here.
        Assert.DoesNotMatch(TrimOrAotWarning(), log);
        Assert.DoesNotContain("will always throw", log, StringComparison.Ordinal);
        Assert.Contains("Generating native code", log, StringComparison.Ordinal);

        string binary = Path.Combine(output, "PredictiveCaching.AotSample");
        Assert.True(File.Exists(binary), "native binary " + binary);
        Assert.False(File.Exists(Path.Combine(output, "PredictiveCaching.dll")), "a native AOT publish ships no IL assembly");

        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("the native sample did not start");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        string printed = await stdout + await stderr;

        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode} (publish took {clock.Elapsed}):\n{printed}");
        Assert.Contains("cache: PredictiveDistributedCache", printed, StringComparison.Ordinal);
        Assert.Contains("tracked keys: 2", printed, StringComparison.Ordinal);
        Assert.Contains("aot sample: ok", printed, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [GeneratedRegex(@"\b(warning|error) IL[23]\d{3}\b")]
    private static partial Regex TrimOrAotWarning();
}
