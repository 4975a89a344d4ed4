namespace PredictiveCaching.Replay.Tests;

/// <summary>
/// Finds the traces: the bundled one under the replayer's folder, and the shared ones in <c>../shared/traces</c>
/// beside the repository (CI has it; the CloudPhysics trace is GPL-3.0 and must never be copied into this repository).
/// </summary>
internal static class TracePaths
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Bundled(string file) => Path.Combine(RepositoryRoot, "samples", "PredictiveCaching.Replay", "traces", file);

    /// <summary>A file of <c>../shared/traces</c>; fails (never skips) with a clear message when it is missing.</summary>
    public static string Shared(string file)
    {
        string folder = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "traces"));
        string path = Path.Combine(folder, file);
        Assert.True(
            File.Exists(path),
            $"The shared trace '{file}' was not found in {folder}. These tests read the real traces from ../shared/traces beside the repository " +
            "(CI provides it). They are not copied into the repository: the CloudPhysics trace is GPL-3.0.");
        return path;
    }

    private static string FindRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "PredictiveCaching.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"PredictiveCaching.sln not found above {AppContext.BaseDirectory}");
    }
}
