using System.Buffers;
using PredictiveCaching.Tracking;

namespace PredictiveCaching.Caching;

/// <summary>
/// Recognizes the frame HybridCache puts around what it stores in L2, so that a key HybridCache reads through the
/// decorated <c>IDistributedCache</c> (a keyed HybridCache, or one the decorator does not wrap) is known as such and a
/// raw-bytes prefetch of it, which HybridCache would reject, is reported instead of counted as used.
/// </summary>
/// <remarks>
/// The payload starts and ends with the same two bytes: 0x03 and the format version (1 or 2), and is at least 19 bytes.
/// Four byte compares; nothing else of the value is read.
/// </remarks>
internal static class HybridFraming
{
    private const int MinimumLength = 19;
    private const byte Sentinel = 0x03;

    public static void MarkIfFramed(KeyAccessStatistics entry, byte[]? value)
    {
        // The value's first byte first: most values are not HybridCache's, and then the read path touches nothing more.
        if (value is not null && value.Length >= MinimumLength && value[0] == Sentinel && !entry.ReadThroughHybridCache && IsFramed(value))
        {
            entry.ReadThroughHybridCache = true;
        }
    }

    public static void MarkIfFramed(KeyAccessStatistics entry, in ReadOnlySequence<byte> value)
    {
        if (!entry.ReadThroughHybridCache && IsFramed(value))
        {
            entry.ReadThroughHybridCache = true;
        }
    }

    public static bool IsFramed(ReadOnlySpan<byte> value) =>
        value.Length >= MinimumLength && value[0] == Sentinel && value[1] is 1 or 2 && value[^2] == Sentinel && value[^1] == value[1];

    public static bool IsFramed(in ReadOnlySequence<byte> value)
    {
        if (value.IsSingleSegment)
        {
            return IsFramed(value.FirstSpan);
        }

        if (value.Length < MinimumLength || value.FirstSpan.Length < 2)
        {
            return false;
        }

        Span<byte> tail = stackalloc byte[2];
        value.Slice(value.Length - 2).CopyTo(tail);
        ReadOnlySpan<byte> head = value.FirstSpan;
        return head[0] == Sentinel && head[1] is 1 or 2 && tail[0] == Sentinel && tail[1] == head[1];
    }
}
