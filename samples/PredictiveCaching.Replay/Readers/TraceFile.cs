using System.IO.Compression;

namespace PredictiveCaching.Replay.Readers;

/// <summary>Opens a trace file, transparently decompressing <c>.gz</c>, with buffers sized for sequential reading.</summary>
internal static class TraceFile
{
    private const int BufferSize = 1 << 16;

    public static Stream OpenStream(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan);
        return path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
            ? new BufferedStream(new GZipStream(file, CompressionMode.Decompress), BufferSize)
            : file;
    }

    public static StreamReader OpenText(string path) => new(OpenStream(path), System.Text.Encoding.UTF8, false, BufferSize);
}
