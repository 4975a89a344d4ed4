using System.Globalization;
using PredictiveCaching.Replay;
using PredictiveCaching.Replay.Readers;
using PredictiveCaching.Replay.Reporting;
using PredictiveCaching.Replay.Synthetic;

ReplayArguments arguments;
try
{
    arguments = ReplayArguments.Parse(args);
}
catch (Exception exception) when (exception is ArgumentException or FormatException)
{
    Console.Error.WriteLine(exception.Message);
    Console.Error.WriteLine(ReplayArguments.Usage);
    return 2;
}

if (arguments.Help || arguments.Trace is null)
{
    Console.WriteLine(ReplayArguments.Usage);
    return arguments.Help ? 0 : 2;
}

Directory.CreateDirectory(arguments.OutputDirectory);
string trace = arguments.Trace;
TraceFormat format = arguments.Format;
if (trace == "synthetic")
{
    trace = Path.Combine(arguments.OutputDirectory, "synthetic.csv");
    SyntheticWorkload.WriteCsv(trace, new SyntheticWorkloadOptions { DurationSeconds = arguments.SyntheticSeconds });
    format = TraceFormat.Plain;
}
else if (!File.Exists(trace))
{
    Console.Error.WriteLine($"trace not found: {trace}");
    return 2;
}

string name = arguments.Name ?? Path.GetFileName(trace);
Console.Error.WriteLine($"replaying {name} ({(format == TraceFormat.Auto ? TraceReader.Detect(trace) : format)}) through {arguments.Policies.Count} policies");
var replayer = new Replayer(() => TraceReader.Read(trace, format), arguments.Settings);
IReadOnlyList<PolicyResult> results = await replayer.RunAsync(arguments.Policies, r =>
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {r.Policy,-24} hit ratio {r.HitRatio:0.0000}  {r.Requests:N0} requests in {r.ElapsedSeconds:0.00} s ({r.RequestsPerSecond:N0} requests/s)")));

TraceFormat detected = format == TraceFormat.Auto ? TraceReader.Detect(trace) : format;
if (detected is TraceFormat.NasaTsv or TraceFormat.Clf)
{
    // A pass of its own: the policies' passes overlap (the oracle reads ahead) and may stop at --max-requests.
    var webLog = new WebLogCounts();
    foreach (TraceRequest _ in TraceReader.Read(trace, detected, webLog))
    {
    }

    Console.Error.WriteLine($"  web log (whole file): {webLog}");
}

IReadOnlyList<ComparisonRow> rows = ComparisonRow.Compare(results);
Console.WriteLine($"## {name}");
Console.WriteLine();
Console.WriteLine(MarkdownTable.Render(rows));
string csv = Path.Combine(arguments.OutputDirectory, "results.csv");
CsvReport.Write(csv, name, rows);
Console.Error.WriteLine($"wrote {csv}");
if (arguments.IsSweep)
{
    string sweepCsv = Path.Combine(arguments.OutputDirectory, "sweep.csv");
    Sweep.WriteCsv(sweepCsv, name, rows);
    Console.Error.WriteLine($"wrote {sweepCsv}");
    string sweepPng = Path.Combine(arguments.OutputDirectory, "sweep.png");
    Sweep.WriteChart(sweepPng, $"Misses avoided against extra origin loads: {name}", rows);
    Console.Error.WriteLine($"wrote {sweepPng}");
}

if (arguments.Chart && !arguments.IsSweep)
{
    string png = Path.Combine(arguments.OutputDirectory, "hit-ratio.png");
    HitRatioChart.Write(png, $"Hit ratio over time: {name}", results);
    Console.Error.WriteLine($"wrote {png}");
}

return 0;
