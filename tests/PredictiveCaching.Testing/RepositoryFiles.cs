namespace PredictiveCaching.Testing;

/// <summary>Files of the repository the tests hold the code to (docs/configuration.md, docs/operations.md).</summary>
public static class RepositoryFiles
{
    /// <summary>Gets the path of a file under the repository root, found above the test's output directory.</summary>
    /// <param name="relativePath">The path under the root, such as <c>docs/operations.md</c>.</param>
    /// <returns>The full path.</returns>
    public static string PathOf(string relativePath)
    {
        string? root = AppContext.BaseDirectory;
        while (root is not null && !File.Exists(Path.Combine(root, "PredictiveCaching.sln")))
        {
            root = Path.GetDirectoryName(root);
        }

        if (root is null)
        {
            throw new InvalidOperationException("the repository root (PredictiveCaching.sln) is not above " + AppContext.BaseDirectory);
        }

        return Path.Combine(root, relativePath);
    }
}
