namespace PredictiveCaching.Tests.Resources;

/// <summary>A temporary directory standing in for <c>/</c>, with fake <c>/proc</c> and <c>/sys</c> files.</summary>
internal sealed class FakeSystemRoot : IDisposable
{
    public FakeSystemRoot()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "pc-root-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public FakeSystemRoot Write(string relativePath, string content)
    {
        string full = System.IO.Path.Combine(Path, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return this;
    }

    public FakeSystemRoot Folder(string relativePath)
    {
        Directory.CreateDirectory(System.IO.Path.Combine(Path, relativePath));
        return this;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
