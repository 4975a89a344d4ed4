using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PredictiveCaching.Redis.Tests.Infrastructure;

/// <summary>A redis-server process started by a test on its own free loopback port, stopped by its pid.</summary>
internal sealed class RedisServerProcess : IDisposable
{
    private readonly string _binary;
    private readonly string[] _extraArguments;
    private Process? _process;

    private RedisServerProcess(string binary, int port, string directory, string[] extraArguments)
    {
        _binary = binary;
        Port = port;
        Directory = directory;
        _extraArguments = extraArguments;
    }

    public int Port { get; }

    public string Directory { get; }

    public string Endpoint => "127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture);

    public int? ProcessId => _process?.Id;

    /// <summary>Finds redis-server: PREDICTIVE_CACHING_REDIS_SERVER, then PATH; null when there is none.</summary>
    public static string? FindBinary()
    {
        string? configured = Environment.GetEnvironmentVariable("PREDICTIVE_CACHING_REDIS_SERVER");
        if (!string.IsNullOrEmpty(configured) && File.Exists(configured))
        {
            return configured;
        }

        foreach (string folder in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            string candidate = Path.Combine(folder, "redis-server");
            if (folder.Length > 0 && File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Starts a server; extra arguments follow the defaults (no persistence) and override them.</summary>
    public static async Task<RedisServerProcess> StartAsync(string binary, params string[] extraArguments)
    {
        string directory = Path.Combine(Path.GetTempPath(), "predictive-caching-redis-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var server = new RedisServerProcess(binary, FreePort(), directory, extraArguments);
        await server.StartAsync().ConfigureAwait(false);
        return server;
    }

    /// <summary>Starts (or restarts, on the same port and directory) the server and waits until it answers PING.</summary>
    public async Task StartAsync()
    {
        var info = new ProcessStartInfo(_binary)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in new[] { "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", string.Empty, "--appendonly", "no", "--dir", Directory, "--daemonize", "no", "--logfile", Path.Combine(Directory, "redis.log") })
        {
            info.ArgumentList.Add(argument);
        }

        foreach (string argument in _extraArguments)
        {
            info.ArgumentList.Add(argument);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start: " + _binary);
        _process.OutputDataReceived += static (_, _) => { };
        _process.ErrorDataReceived += static (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException("redis-server exited with " + _process.ExitCode + "; see " + Path.Combine(Directory, "redis.log"));
            }

            if (await PingAsync(Port).ConfigureAwait(false))
            {
                return;
            }

            await Task.Delay(20).ConfigureAwait(false);
        }

        throw new InvalidOperationException("redis-server did not answer PING on port " + Port + " within 10 s");
    }

    /// <summary>Freezes the server (SIGSTOP): connections stay open and nothing answers, as in a hang.</summary>
    public void Pause() => Signal("-STOP");

    /// <summary>Lets a frozen server go on (SIGCONT).</summary>
    public void Resume() => Signal("-CONT");

    /// <summary>Kills the server by its pid (as a crash would) and waits for it to be gone.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            process.WaitForExit(10_000);
        }

        _process?.Dispose();
        _process = null;
    }

    public void Dispose()
    {
        if (_process is { HasExited: false })
        {
            Resume();
        }

        Kill();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public static async Task<bool> PingAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token).ConfigureAwait(false);
            NetworkStream stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token).ConfigureAwait(false);
            byte[] buffer = new byte[64];
            int read = await stream.ReadAsync(buffer, timeout.Token).ConfigureAwait(false);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception exception) when (exception is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private void Signal(string signal)
    {
        int pid = _process?.Id ?? throw new InvalidOperationException("redis-server is not running");
        using Process kill = Process.Start("kill", [signal, pid.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit(10_000);
    }
}
