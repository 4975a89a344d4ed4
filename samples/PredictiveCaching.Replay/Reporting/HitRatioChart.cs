using ScottPlot;

namespace PredictiveCaching.Replay.Reporting;

/// <summary>Hit ratio over trace time, one line per policy, drawn with ScottPlot to a PNG.</summary>
public static class HitRatioChart
{
    /// <summary>Fewer points than this per line make a jagged chart; slices are merged up to it.</summary>
    private const int TargetPoints = 120;

    public static void Write(string path, string title, IReadOnlyList<PolicyResult> results, int width = 1000, int height = 560)
    {
        ArgumentNullException.ThrowIfNull(results);
        var plot = new Plot();
        foreach (PolicyResult result in results)
        {
            (double[] xs, double[] ys) = Points(result.Series);
            if (xs.Length == 0)
            {
                continue;
            }

            var line = plot.Add.ScatterLine(xs, ys);
            line.LegendText = result.Policy;
            line.LineWidth = result.Policy is "none" or "oracle" ? 2.5f : 1.5f;
            if (result.Policy == "oracle")
            {
                line.LinePattern = LinePattern.Dashed;
            }
        }

        plot.Title(title);
        plot.XLabel("trace time (minutes)");
        plot.YLabel("hit ratio");
        plot.Axes.SetLimitsY(0, 1.02);
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, width, height);
    }

    internal static (double[] Xs, double[] Ys) Points(HitSeries series)
    {
        IReadOnlyList<(long Reads, long Hits)> points = series.Points;
        int group = Math.Max(1, (int)Math.Ceiling(points.Count / (double)TargetPoints));
        var xs = new List<double>();
        var ys = new List<double>();
        for (int start = 0; start < points.Count; start += group)
        {
            long reads = 0, hits = 0;
            int end = Math.Min(points.Count, start + group);
            for (int i = start; i < end; i++)
            {
                reads += points[i].Reads;
                hits += points[i].Hits;
            }

            if (reads > 0)
            {
                xs.Add(end * series.WidthSeconds / 60d);
                ys.Add(hits / (double)reads);
            }
        }

        return ([.. xs], [.. ys]);
    }
}
