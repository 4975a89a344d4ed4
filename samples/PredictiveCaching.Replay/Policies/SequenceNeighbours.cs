using System.Globalization;

namespace PredictiveCaching.Replay.Policies;

/// <summary>Splits <c>prefix + number</c> keys (<c>page:41</c>, <c>lbn:42932745</c>) and names their neighbours.</summary>
internal static class SequenceNeighbours
{
    public static bool TrySplit(string key, out string prefix, out long number)
    {
        int start = key.Length;
        while (start > 0 && char.IsAsciiDigit(key[start - 1]))
        {
            start--;
        }

        int digits = key.Length - start;
        if (digits == 0 || digits > 18 || start == 0 || (digits > 1 && key[start] == '0'))
        {
            prefix = string.Empty;
            number = 0;
            return false;
        }

        prefix = key[..start];
        number = long.Parse(key.AsSpan(start), NumberStyles.None, CultureInfo.InvariantCulture);
        return true;
    }

    public static string Name(string prefix, long number) => string.Create(CultureInfo.InvariantCulture, $"{prefix}{number}");
}
