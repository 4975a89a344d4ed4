using System.Diagnostics;

namespace PredictiveCaching.Packaging.Tests;

/// <summary>
/// docs/getting-started.md followed as a new user would, against the packed package: <c>dotnet new web</c>,
/// <c>dotnet add package PredictiveCaching --prerelease</c> from a local feed, the guide's registration, then the app
/// is started and its status endpoint read over HTTP.
/// </summary>
public sealed class GettingStartedTests : IDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromMinutes(2);
    private readonly string _work = Directory.CreateTempSubdirectory("predictive-caching-web-").FullName;

    [Fact]
    public async Task DotnetNewWeb_AddPackagePrerelease_GuidesRegistration_RunsAndServesStatus()
    {
        string feed = Path.Combine(_work, "feed");
        await DotNetCli.RunAsync(PackageConsumptionTests.RepositoryRoot(), "pack", "src/PredictiveCaching/PredictiveCaching.csproj", "-c", "Release", "-o", feed);

        string app = Path.Combine(_work, "MyApp");
        await DotNetCli.RunAsync(_work, "new", "web", "-o", app);

        // The guide's local-feed step; the packages folder of its own only keeps an older build of the same version out.
        await DotNetCli.RunAsync(app, "new", "nugetconfig");
        await DotNetCli.RunAsync(app, "nuget", "add", "source", feed, "--name", "local", "--configfile", "nuget.config");
        string config = await File.ReadAllTextAsync(Path.Combine(app, "nuget.config"));
        await File.WriteAllTextAsync(Path.Combine(app, "nuget.config"), config.Replace(
            "<packageSources>",
            $"<config><add key=\"globalPackagesFolder\" value=\"{Path.Combine(_work, "packages")}\" /></config>\n  <packageSources>",
            StringComparison.Ordinal));
        await DotNetCli.RunAsync(app, "add", "package", "PredictiveCaching", "--prerelease");

        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), """
            using Microsoft.Extensions.Caching.Distributed;
            using PredictiveCaching.Prefetching;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddDistributedMemoryCache();
            builder.Services.AddPredictiveLoading()
                .AddSource("product:", (key, ct) => Task.FromResult<byte[]?>(System.Text.Encoding.UTF8.GetBytes(key)));
            builder.Services.AddHealthChecks().AddPredictiveLoading();

            var app = builder.Build();
            app.MapGet("/product/{id}", async (string id, IDistributedCache cache) => await cache.GetStringAsync("product:" + id) ?? "miss");
            app.MapGet("/predictive", (IPredictiveLoader loader) => loader.GetStatus());
            app.MapHealthChecks("/health");
            app.Run();
            """);
        await DotNetCli.RunAsync(app, "build", "-c", "Release");

        using Process process = StartApp(app, out Task<Uri> listening);
        try
        {
            Uri address = await listening.WaitAsync(StartLimit);
            using var http = new HttpClient { BaseAddress = address };
            Assert.Equal("miss", await http.GetStringAsync(new Uri("/product/1", UriKind.Relative)));

            // A key read once takes no tracking entry (the admission doorkeeper); its second read does (a hit or a miss,
            // whether or not a cycle prefetched it meanwhile).
            await http.GetStringAsync(new Uri("/product/1", UriKind.Relative));
            string status = await http.GetStringAsync(new Uri("/predictive", UriKind.Relative));
            Assert.Contains("\"strategy\":\"Balanced\"", status, StringComparison.Ordinal);
            Assert.Contains("\"trackedKeys\":1", status, StringComparison.Ordinal);
            Assert.Equal("Healthy", await http.GetStringAsync(new Uri("/health", UriKind.Relative)));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private static Process StartApp(string app, out Task<Uri> listening)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = app,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { "run", "-c", "Release", "--no-build", "--urls", "http://127.0.0.1:0" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        var address = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        Process process = Process.Start(start) ?? throw new InvalidOperationException("dotnet run did not start");
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not { } line)
            {
                return;
            }

            output.Enqueue(line);
            const string Marker = "Now listening on: ";
            int at = line.IndexOf(Marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                address.TrySetResult(new Uri(line[(at + Marker.Length)..].Trim()));
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                output.Enqueue(line);
            }
        };
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => address.TrySetException(new InvalidOperationException("the app exited before listening:\n" + string.Join('\n', output)));
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        listening = address.Task;
        return process;
    }
}
