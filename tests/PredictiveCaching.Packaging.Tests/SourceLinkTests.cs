using System.IO.Compression;
using System.Reflection.Metadata;
using System.Text.Json;

namespace PredictiveCaching.Packaging.Tests;

/// <summary>
/// SourceLink as a release gets it: the repository is cloned, its <c>origin</c> set to a GitHub-style URL (a test value,
/// not the project's), and the core packed there as CI packs (<c>ContinuousIntegrationBuild</c>). The symbols package's
/// pdb must map the source root to that repository's raw content at the packed commit, and the nuspec must name the
/// repository and commit. Only the SDK's own SourceLink is used: no SourceLink package is referenced.
/// </summary>
public sealed class SourceLinkTests : IDisposable
{
    private const string Version = "0.1.0-preview";
    private const string Remote = "https://github.com/sourcelink-test/PredictiveCaching";
    private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");
    private readonly string _work = Directory.CreateTempSubdirectory("predictive-caching-sourcelink-").FullName;

    [Fact]
    public async Task Pack_FromCloneWithGitHubOrigin_PdbMapsSourcesToRawContent_NuspecNamesRepositoryAndCommit()
    {
        string clone = Path.Combine(_work, "repo");
        await Git.RunAsync(_work, "clone", "--quiet", "--no-hardlinks", PackageConsumptionTests.RepositoryRoot(), clone);
        await Git.RunAsync(clone, "remote", "set-url", "origin", Remote);
        string commit = (await Git.RunAsync(clone, "rev-parse", "HEAD")).Trim();

        string feed = Path.Combine(_work, "feed");
        await DotNetCli.RunAsync(clone, "pack", "src/PredictiveCaching/PredictiveCaching.csproj", "-c", "Release", "-o", feed, "-p:ContinuousIntegrationBuild=true");

        using (ZipArchive package = ZipFile.OpenRead(Path.Combine(feed, $"PredictiveCaching.{Version}.nupkg")))
        using (var nuspec = new StreamReader(package.GetEntry("PredictiveCaching.nuspec")!.Open()))
        {
            string manifest = await nuspec.ReadToEndAsync();
            string repository = System.Text.RegularExpressions.Regex.Match(manifest, "<repository [^>]*>").Value;
            Assert.Contains("type=\"git\"", repository, StringComparison.Ordinal);
            Assert.Contains($"url=\"{Remote}\"", repository, StringComparison.Ordinal);
            Assert.Contains($"commit=\"{commit}\"", repository, StringComparison.Ordinal);
        }

        using ZipArchive symbols = ZipFile.OpenRead(Path.Combine(feed, $"PredictiveCaching.{Version}.snupkg"));
        using var pdb = new MemoryStream();
        await using (Stream entry = symbols.GetEntry("lib/net10.0/PredictiveCaching.pdb")!.Open())
        {
            await entry.CopyToAsync(pdb);
        }

        pdb.Position = 0;
        using MetadataReaderProvider provider = MetadataReaderProvider.FromPortablePdbStream(pdb);
        MetadataReader reader = provider.GetMetadataReader();
        string? json = null;
        foreach (CustomDebugInformationHandle handle in reader.CustomDebugInformation)
        {
            CustomDebugInformation information = reader.GetCustomDebugInformation(handle);
            if (reader.GetGuid(information.Kind) == SourceLinkKind)
            {
                json = System.Text.Encoding.UTF8.GetString(reader.GetBlobBytes(information.Value));
            }
        }

        Assert.NotNull(json);
        using JsonDocument sourceLink = JsonDocument.Parse(json);
        var documents = sourceLink.RootElement.GetProperty("documents").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());

        // ContinuousIntegrationBuild maps the clone's path to /_/; the sources there come from the commit on GitHub.
        Assert.Equal($"https://raw.githubusercontent.com/sourcelink-test/PredictiveCaching/{commit}/*", Assert.Contains("/_/*", documents));

        // Every source document is under the mapped root, and the generated ones are embedded (EmbedUntrackedSources).
        var names = reader.Documents.Select(d => reader.GetString(reader.GetDocument(d).Name)).ToList();
        Assert.Contains("/_/src/PredictiveCaching/DependencyInjection/PredictiveLoadingServiceCollectionExtensions.cs", names);
        Assert.All(names, n => Assert.StartsWith("/_/", n, StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private static class Git
    {
        public static async Task<string> RunAsync(string workingDirectory, params string[] arguments) =>
            (await ChildProcess.RunAsync("git", workingDirectory, arguments)).Output;
    }
}
