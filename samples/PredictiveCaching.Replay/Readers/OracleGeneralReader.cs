using System.Buffers.Binary;
using System.Globalization;

namespace PredictiveCaching.Replay.Readers;

/// <summary>
/// libCacheSim oracleGeneral binary: packed 24-byte little-endian records (uint32 time, uint64 id, uint32 size,
/// int64 next access). Every record is a read (the format has no operation). The next-access field is future
/// knowledge and is deliberately not exposed: the oracle policy computes its own future from a second pass.
/// </summary>
internal static class OracleGeneralReader
{
    public const int RecordSize = 24;

    public static IEnumerable<TraceRequest> Read(string path)
    {
        using Stream stream = TraceFile.OpenStream(path);
        byte[] record = new byte[RecordSize];
        long index = 0;
        while (true)
        {
            int read = stream.ReadAtLeast(record, RecordSize, throwOnEndOfStream: false);
            if (read == 0)
            {
                yield break;
            }

            if (read < RecordSize)
            {
                throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"{path}: truncated record {index} ({read} of {RecordSize} bytes); the length must be a multiple of {RecordSize}"));
            }

            uint time = BinaryPrimitives.ReadUInt32LittleEndian(record);
            ulong id = BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(4));
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(record.AsSpan(12));
            index++;
            yield return new TraceRequest(time, string.Create(CultureInfo.InvariantCulture, $"lbn:{id}"), size, 0, TraceOperation.Read);
        }
    }
}
