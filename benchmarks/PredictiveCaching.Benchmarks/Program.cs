using BenchmarkDotNet.Running;
using PredictiveCaching.Benchmarks;

if (args.Length > 0 && args[0] == "footprint")
{
    return Footprint.Run(args);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
