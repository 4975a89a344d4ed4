using System.Globalization;
using System.Text;
using PredictiveCaching.Replay.Policies;
using ScottPlot;

namespace PredictiveCaching.Replay.Reporting;

/// <summary>
/// The frontier: every prefetching policy over a range of its parameter (refresh fraction, with and without the Balanced
/// byte budget; successor share; probability threshold), each point what it saved (misses avoided) against what it
/// cost (extra origin loads). The chart is the picture to choose a strategy by: up and to the left is better, and a
/// curve under another at the same cost loses.
/// </summary>
public static class Sweep
{
    public static readonly IReadOnlyList<double> DefaultThresholds = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95];

    public static readonly IReadOnlyList<double> DefaultRefreshFractions = [0.5, 0.6, 0.7, 0.8, 0.9, 0.95];

    public static readonly IReadOnlyList<double> DefaultSuccessorShares = [0.3, 0.5, 0.7, 0.9];

    private static readonly string[] Strategies = ["predictive-aggressive", "predictive-balanced", "predictive-conservative"];

    /// <summary>The policies of a sweep: none and the oracle as the two ends, then every family at every parameter.</summary>
    public static IReadOnlyList<string> Policies(IReadOnlyList<double> thresholds, IReadOnlyList<double> refreshFractions, IReadOnlyList<double> successorShares)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        ArgumentNullException.ThrowIfNull(refreshFractions);
        ArgumentNullException.ThrowIfNull(successorShares);
        var policies = new List<string> { "none" };
        policies.AddRange(refreshFractions.Select(f => PolicySpec.Format(RefreshAheadPolicy.PolicyName, f)));
        policies.AddRange(refreshFractions.Select(f => PolicySpec.Format(RefreshAheadPolicy.BudgetedPolicyName, f)));
        policies.AddRange(successorShares.Select(s => PolicySpec.Format("successor", s)));
        foreach (string strategy in Strategies)
        {
            policies.AddRange(thresholds.Select(t => PolicySpec.Format(strategy, t)));
        }

        // The two mechanisms that carry most of what the loop saves, alone, so each can be compared with the whole.
        foreach (string alone in (string[])["only-expiry", "only-coaccess"])
        {
            policies.AddRange(thresholds.Select(t => PolicySpec.Format(alone, t)));
        }

        policies.Add("oracle");
        return policies;
    }

    public static void WriteCsv(string path, string trace, IReadOnlyList<ComparisonRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var text = new StringBuilder().AppendLine("trace,policy,parameter,misses_avoided,extra_origin_loads,prefetches,precision,yield,library_precision");
        foreach (ComparisonRow row in rows)
        {
            (string family, double? parameter) = PolicySpec.Parse(row.Result.Policy);
            text.AppendJoin(',',
                Format.Csv(trace), Format.Csv(family), Format.Number(parameter ?? double.NaN, "0.###"), row.MissesAvoided, row.ExtraOriginLoads, row.Result.Prefetches,
                Format.Number(row.Precision, "0.####"), Format.Number(row.Yield, "0.####"), Format.Number(row.Result.LibraryPrecision ?? double.NaN, "0.####"));
            text.AppendLine();
        }

        File.WriteAllText(path, text.ToString());
    }

    /// <summary>One curve per policy family, x extra origin loads, y misses avoided, each point labelled with its parameter.</summary>
    public static void WriteChart(string path, string title, IReadOnlyList<ComparisonRow> rows, int width = 1000, int height = 640)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var plot = new Plot();
        double highest = 0, widest = 0;
        (double X, double Y)? oracle = null;
        foreach (IGrouping<string, (ComparisonRow Row, double? Parameter)> family in rows
            .Select(r => (Row: r, Spec: PolicySpec.Parse(r.Result.Policy)))
            .Where(r => r.Spec.Name is not "none")
            .GroupBy(r => r.Spec.Name, r => (r.Row, r.Spec.Parameter)))
        {
            // Sorted by cost, so that the line traces the family's frontier from cheap to expensive.
            var points = family.OrderBy(p => p.Row.ExtraOriginLoads).ThenBy(p => p.Row.MissesAvoided).ToList();
            double[] xs = [0, .. points.Select(p => (double)p.Row.ExtraOriginLoads)];
            double[] ys = [0, .. points.Select(p => (double)p.Row.MissesAvoided)];
            if (family.Key == "oracle")
            {
                oracle = (xs[1], ys[1]);
                continue;
            }

            highest = Math.Max(highest, ys.Max());
            widest = Math.Max(widest, xs.Max());

            var line = plot.Add.Scatter(xs, ys);
            line.LegendText = family.Key;
            line.MarkerSize = 6;
            line.LineWidth = 1.5f;
            foreach ((ComparisonRow row, double? parameter) in points)
            {
                if (parameter is { } value)
                {
                    var label = plot.Add.Text(value.ToString("0.##", CultureInfo.InvariantCulture), row.ExtraOriginLoads, row.MissesAvoided);
                    label.LabelFontSize = 10;
                    label.LabelFontColor = line.Color;
                }
            }
        }

        if (oracle is { } limit)
        {
            // The oracle is often ten times the best policy; drawn to scale it would flatten every curve into the axis.
            bool offScale = limit.Y > 2 * Math.Max(1, highest);
            var marker = plot.Add.Marker(limit.X, limit.Y, MarkerShape.FilledDiamond, 12);
            marker.LegendText = offScale
                ? string.Create(CultureInfo.InvariantCulture, $"oracle: {limit.Y:+#,0} at {limit.X:+#,0;-#,0;0} (off the scale)")
                : "oracle";
            if (offScale)
            {
                double margin = Math.Max(1, widest) * 0.04;
                plot.Axes.SetLimits(-margin, Math.Max(1, widest) + margin, -0.05 * Math.Max(1, highest), 1.15 * Math.Max(1, highest));
            }
        }

        plot.Title(title);
        plot.XLabel("extra origin loads (misses + prefetch loads - none's misses)");
        plot.YLabel("misses avoided vs none");
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, width, height);
    }
}
