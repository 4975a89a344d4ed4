using System.Globalization;

namespace PredictiveCaching.Resources;

/// <summary>
/// Reads the kernel's text files (<c>/proc</c>, <c>/sys</c>) below a root that tests can move to a temporary directory.
/// </summary>
/// <remarks>
/// Every read tolerates a missing or unreadable file (containers often hide parts of <c>/sys</c>) by returning
/// <see langword="null"/>, so probes fall back instead of failing. Reads run every sampling interval, not per request.
/// </remarks>
internal sealed class SystemFiles
{
    internal const string DefaultRoot = "/";

    public SystemFiles(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = root;
    }

    public string Root { get; }

    public string PathOf(string relativePath) => Path.Combine(Root, relativePath.TrimStart('/'));

    public bool Exists(string relativePath) => File.Exists(PathOf(relativePath));

    public bool DirectoryExists(string relativePath) => Directory.Exists(PathOf(relativePath));

    public string? ReadText(string relativePath)
    {
        try
        {
            return File.ReadAllText(PathOf(relativePath));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public string? ReadFirstLine(string relativePath)
    {
        string? text = ReadText(relativePath);
        if (text is null)
        {
            return null;
        }

        int end = text.IndexOf('\n', StringComparison.Ordinal);
        return (end < 0 ? text : text[..end]).Trim();
    }

    public static bool TryParseLong(string? text, out long value) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);

    public static double Clamp01(double value) => double.IsNaN(value) ? double.NaN : Math.Clamp(value, 0d, 1d);
}
