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

    /// <summary>Writes the key <paramref name="offset"/> members away into <paramref name="destination"/>, without allocating.</summary>
    /// <returns>Whether there is such a key (the number stays at or above 0) and it fitted.</returns>
    public bool TryFormatWithOffset(int offset, Span<char> destination, out int written)
    {
        written = 0;
        long number = Number + offset;
        ReadOnlySpan<char> prefix = Prefix;
        if (number < 0 || destination.Length < prefix.Length)
        {
            return false;
        }

        prefix.CopyTo(destination);
        Span<char> digits = destination[prefix.Length..];
        if (!number.TryFormat(digits, out int count, default, CultureInfo.InvariantCulture))
        {
            return false;
        }

        if (IsPadded && count < Width)
        {
            int pad = Width - count;
            if (digits.Length < Width)
            {
                return false;
            }

            digits[..count].CopyTo(digits[pad..]);
            digits[..pad].Fill('0');
            count = Width;
        }

        written = prefix.Length + count;
        return true;
    }
}
