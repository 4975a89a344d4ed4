using BenchmarkDotNet.Running;
using PredictiveCaching.Benchmarks;

if (args.Length > 0 && args[0] == "footprint")
{
    return Footprint.Run(args);
}

if (args.Length > 0 && args[0] == "ci")
{
    return CiGuard.Run();
}

if (args.Length > 0 && args[0] == "readpath")
{
    return ReadPathComparison.Run(args);
}

if (args.Length > 0 && args[0] == "read-latency")
{
    return ReadLatencyDuringTraining.Run();
}

if (args.Length > 0 && args[0] == "ml-report")
{
    return MlReport.Run(args);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
