using System.Globalization;

namespace PredictiveCaching.Loop.Candidates;

/// <summary>A key that ends in a number (<c>page:41</c>, <c>chunk-0007</c>), so its neighbours can be named.</summary>
internal readonly struct SequenceKey
{
    private const int MaxDigits = 18;

    private SequenceKey(string key, int digitsStart, long number)
    {
        Key = key;
        DigitsStart = digitsStart;
        Number = number;
    }

    public string Key { get; }

    public int DigitsStart { get; }

    public long Number { get; }

    public ReadOnlySpan<char> Prefix => Key.AsSpan(0, DigitsStart);

    private int Width => Key.Length - DigitsStart;

    // Zero-padded numbers keep their width; unpadded ones grow naturally (page:9 → page:10).
    private bool IsPadded => Width > 1 && Key[DigitsStart] == '0';

    public static bool TryParse(string key, out SequenceKey sequence)
    {
        int start = key.Length;
        while (start > 0 && char.IsAsciiDigit(key[start - 1]))
        {
            start--;
        }

        int digits = key.Length - start;
        if (digits == 0 || digits > MaxDigits || start == 0)
        {
            sequence = default;
            return false;
        }

        sequence = new SequenceKey(key, start, long.Parse(key.AsSpan(start), NumberStyles.None, CultureInfo.InvariantCulture));
        return true;
    }

    public string WithOffset(int offset)
    {
        long number = Number + offset;
        if (number < 0)
        {
            return string.Empty;
        }

        string digits = IsPadded
            ? number.ToString(new string('0', Width), CultureInfo.InvariantCulture)
            : number.ToString(CultureInfo.InvariantCulture);
        return string.Concat(Prefix, digits);
    }
}
