using System.Globalization;

namespace PredictiveCaching.Replay.Readers;

/// <summary>
/// What a web log reader kept and skipped on its last pass over the file (each pass starts the counts anew), so that a
/// run can say how much of the log became the trace.
/// </summary>
public sealed class WebLogCounts
{
    /// <summary>Gets the data lines seen (blank lines and a header are not counted).</summary>
    public long Lines { get; private set; }

    /// <summary>Gets the requests kept: GET or HEAD with a status below 400.</summary>
    public long Kept { get; private set; }

    /// <summary>Gets the lines skipped for their method (POST, PUT, …).</summary>
    public long OtherMethods { get; private set; }

    /// <summary>Gets the lines skipped for a status of 400 or more (the server served no object).</summary>
    public long ErrorStatuses { get; private set; }

    /// <summary>Gets the lines that could not be parsed, skipped.</summary>
    public long Malformed { get; private set; }

    /// <summary>Gets the number of the first malformed line, or 0 when there was none.</summary>
    public long FirstMalformedLine { get; private set; }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Lines:N0} lines: {Kept:N0} kept (GET/HEAD, status < 400), {OtherMethods:N0} other methods, {ErrorStatuses:N0} status >= 400, {Malformed:N0} malformed{(Malformed > 0 ? $" (first at line {FirstMalformedLine:N0})" : "")}");

    internal void Reset()
    {
        Lines = Kept = OtherMethods = ErrorStatuses = Malformed = FirstMalformedLine = 0;
    }

    internal void OnLine() => Lines++;

    internal void OnMalformed(long lineNumber)
    {
        Malformed++;
        if (FirstMalformedLine == 0)
        {
            FirstMalformedLine = lineNumber;
        }
    }

    /// <summary>Applies the filter every web reader shares and counts the outcome.</summary>
    /// <returns>Whether the request is kept.</returns>
    internal bool Keep(ReadOnlySpan<char> method, int status)
    {
        if (!method.Equals("GET", StringComparison.OrdinalIgnoreCase) && !method.Equals("HEAD", StringComparison.OrdinalIgnoreCase))
        {
            OtherMethods++;
            return false;
        }

        if (status >= 400)
        {
            ErrorStatuses++;
            return false;
        }

        Kept++;
        return true;
    }
}
