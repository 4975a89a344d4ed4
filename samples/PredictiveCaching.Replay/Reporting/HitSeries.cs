namespace PredictiveCaching.Replay.Reporting;

/// <summary>
/// Reads and hits per slice of trace time, for the hit-ratio-over-time chart. The slice width doubles (neighbouring
/// slices merge) whenever the series would exceed <see cref="MaxPoints"/>, so memory is bounded whatever the trace's span.
/// </summary>
public sealed class HitSeries
{
    public const int MaxPoints = 512;

    private readonly List<(long Reads, long Hits)> _points = [];

    public HitSeries(double widthSeconds = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(widthSeconds);
        WidthSeconds = widthSeconds;
    }

    /// <summary>Gets the current slice width in trace seconds.</summary>
    public double WidthSeconds { get; private set; }

    public IReadOnlyList<(long Reads, long Hits)> Points => _points;

    public void Add(double secondsSinceStart, bool hit)
    {
        int index = (int)(Math.Max(0, secondsSinceStart) / WidthSeconds);
        while (index >= MaxPoints)
        {
            Merge();
            index = (int)(Math.Max(0, secondsSinceStart) / WidthSeconds);
        }

        while (_points.Count <= index)
        {
            _points.Add((0, 0));
        }

        (long reads, long hits) = _points[index];
        _points[index] = (reads + 1, hits + (hit ? 1 : 0));
    }

    private void Merge()
    {
        int merged = (_points.Count + 1) / 2;
        for (int i = 0; i < merged; i++)
        {
            (long Reads, long Hits) a = _points[2 * i];
            (long Reads, long Hits) b = 2 * i + 1 < _points.Count ? _points[(2 * i) + 1] : (0, 0);
            _points[i] = (a.Reads + b.Reads, a.Hits + b.Hits);
        }

        _points.RemoveRange(merged, _points.Count - merged);
        WidthSeconds *= 2;
    }
}
