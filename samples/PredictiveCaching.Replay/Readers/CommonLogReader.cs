using System.Globalization;

namespace PredictiveCaching.Replay.Readers;

/// <summary>
/// Web server access logs in Common Log Format or the combined format (Apache, nginx and most others):
/// <c>host ident user [dd/MMM/yyyy:HH:mm:ss zone] "METHOD target protocol" status bytes ["referer" "agent"]</c>, so users
/// can replay their own logs. A request without a protocol (<c>"GET /ksc.html"</c>, HTTP/0.9) is accepted; bytes
/// <c>-</c> is an unknown size (0). Only GET and HEAD with a status below 400 are kept; the key is the request target
/// (<see cref="WebRequest.Key"/>). Lines that do not parse are skipped and counted (<see cref="WebLogCounts"/>), never
/// fatal: real logs have truncated and garbage lines.
/// </summary>
internal static class CommonLogReader
{
    public static IEnumerable<TraceRequest> Read(string path, WebLogCounts? counts = null)
    {
        counts ??= new WebLogCounts();
        counts.Reset();
        using StreamReader reader = TraceFile.OpenText(path);
        long lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            counts.OnLine();
            if (!TryParse(line, out double time, out ReadOnlySpan<char> method, out ReadOnlySpan<char> target, out int status, out long bytes))
            {
                counts.OnMalformed(lineNumber);
                continue;
            }

            if (counts.Keep(method, status))
            {
                yield return WebRequest.Read(time, WebRequest.Key(target), bytes);
            }
        }
    }

    /// <summary>Whether the first line of a file looks like a CLF line (for format detection).</summary>
    public static bool LooksLikeCommonLog(string line) => TryParse(line, out _, out _, out _, out _, out _);

    internal static bool TryParse(ReadOnlySpan<char> line, out double unixSeconds, out ReadOnlySpan<char> method, out ReadOnlySpan<char> target, out int status, out long bytes)
    {
        unixSeconds = 0;
        method = target = default;
        status = 0;
        bytes = 0;

        // host ident user: three space-separated tokens before the bracketed time.
        int open = line.IndexOf(" [", StringComparison.Ordinal);
        if (open <= 0 || line[..open].Count(' ') != 2)
        {
            return false;
        }

        ReadOnlySpan<char> rest = line[(open + 2)..];
        int close = rest.IndexOf(']');
        if (close < 0 || !TryTime(rest[..close], out unixSeconds))
        {
            return false;
        }

        rest = rest[(close + 1)..];
        if (!rest.StartsWith(" \"", StringComparison.Ordinal))
        {
            return false;
        }

        rest = rest[2..];

        // The request ends at the quote followed by " <status>"; a target may itself contain quotes in hostile logs.
        int end = -1;
        for (int at = rest.IndexOf('"'); at >= 0; at = NextQuote(rest, at))
        {
            if (at + 2 < rest.Length && rest[at + 1] == ' ' && char.IsAsciiDigit(rest[at + 2]))
            {
                end = at;
                break;
            }
        }

        if (end < 0)
        {
            return false;
        }

        ReadOnlySpan<char> request = rest[..end];
        int space = request.IndexOf(' ');
        if (space <= 0)
        {
            return false;
        }

        method = request[..space];
        target = request[(space + 1)..];
        int protocol = target.IndexOf(' ');
        if (protocol >= 0)
        {
            target = target[..protocol];
        }

        if (target.IsEmpty)
        {
            return false;
        }

        rest = rest[(end + 2)..];
        int statusEnd = rest.IndexOf(' ');
        if (statusEnd < 0
            || !int.TryParse(rest[..statusEnd], NumberStyles.None, CultureInfo.InvariantCulture, out status)
            || status is < 100 or > 999)
        {
            return false;
        }

        rest = rest[(statusEnd + 1)..];
        int bytesEnd = rest.IndexOf(' ');
        return NasaTsvReader.TryBytes(bytesEnd < 0 ? rest : rest[..bytesEnd], out bytes);
    }

    private static int NextQuote(ReadOnlySpan<char> text, int after)
    {
        int next = text[(after + 1)..].IndexOf('"');
        return next < 0 ? -1 : after + 1 + next;
    }

    // dd/MMM/yyyy:HH:mm:ss ±hhmm, parsed by position: the layout is fixed, and DateTime parsing wants a colon in the zone.
    private static bool TryTime(ReadOnlySpan<char> text, out double unixSeconds)
    {
        unixSeconds = 0;
        if (text.Length != 26 || text[20] != ' ' || (text[21] != '+' && text[21] != '-')
            || !DateTime.TryParseExact(text[..20], "dd/MMM/yyyy:HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime local)
            || !int.TryParse(text[22..24], NumberStyles.None, CultureInfo.InvariantCulture, out int hours)
            || !int.TryParse(text[24..26], NumberStyles.None, CultureInfo.InvariantCulture, out int minutes)
            || hours > 14 || minutes >= 60)
        {
            return false;
        }

        var offset = new TimeSpan(hours, minutes, 0);
        var at = new DateTimeOffset(local, text[21] == '-' ? -offset : offset);
        unixSeconds = at.ToUnixTimeSeconds();
        return true;
    }
}
