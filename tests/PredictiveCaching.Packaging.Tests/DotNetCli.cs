using System.Diagnostics;

namespace PredictiveCaching.Packaging.Tests;

/// <summary>Runs the dotnet CLI as a child process and returns what it printed, failing with the output on error.</summary>
internal static class DotNetCli
{
    public static async Task<string> RunAsync(string workingDirectory, params string[] arguments)
    {
        (string output, string error) = await ChildProcess.RunAsync("dotnet", workingDirectory, arguments, static environment =>
        {
            environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            environment["DOTNET_NOLOGO"] = "1";
            environment["MSBUILDNODEWINDOW"] = "0";
        });
        return output + error;
    }
}

/// <summary>A child process run to its end within a time limit: its output and error, or an exception with both.</summary>
internal static class ChildProcess
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    public static async Task<(string Output, string Error)> RunAsync(string program, string workingDirectory, string[] arguments, Action<IDictionary<string, string?>>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        environment?.Invoke(start.Environment);
        using Process process = Process.Start(start) ?? throw new InvalidOperationException(program + " did not start");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} took longer than {Limit}");
        }

        string printed = await output;
        string errors = await error;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{printed}{errors}");
        }

        return (printed, errors);
    }
}
