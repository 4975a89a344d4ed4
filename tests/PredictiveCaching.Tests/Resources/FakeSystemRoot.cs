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

    /// <summary>Marks the fake system as cgroup v2 with the process in <paramref name="cgroupPath"/>.</summary>
    public FakeSystemRoot CGroupV2(string cgroupPath = "/")
    {
        Write("sys/fs/cgroup/cgroup.controllers", "cpu memory io\n");
        Write("proc/self/cgroup", "0::" + cgroupPath + "\n");
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
