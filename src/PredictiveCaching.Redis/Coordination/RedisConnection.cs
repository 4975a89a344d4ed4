using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PredictiveCaching.Redis.Diagnostics;
using StackExchange.Redis;

namespace PredictiveCaching.Redis.Coordination;

/// <summary>
/// The multiplexer that coordination talks through, and whether Redis is reachable. An outage is logged once and counted
/// once; the first successful command after it ends it. Never throws to its callers.
/// </summary>
internal sealed class RedisConnection : IAsyncDisposable, IDisposable
{
    private static readonly TimeSpan ConnectRetry = TimeSpan.FromSeconds(5);

    // Probes of a paused coordinator: the first at once, then doubling up to this, so a hang that ends resumes
    // prefetching within a few seconds while a long outage costs one PING every few seconds.
    private static readonly TimeSpan MaxProbeInterval = TimeSpan.FromSeconds(4);

    private readonly IServiceProvider _services;
    private readonly RedisCoordinationOptions _options;
    private readonly RedisCoordinationMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _connectGate = new(1, 1);
    private IConnectionMultiplexer? _multiplexer;
    private bool _ownsMultiplexer;
    private long _retryConnectAt;
    private long _outageStartedAt;
    private int _unavailable;
    private long _nextProbeAt;
    private int _failedProbes;
    private int _probing;

    public RedisConnection(
        IServiceProvider services,
        IOptions<RedisCoordinationOptions> options,
        RedisCoordinationMetrics metrics,
        TimeProvider time,
        ILogger<RedisConnection> logger)
    {
        _services = services;
        _options = options.Value;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    public RedisCoordinationOptions Options => _options;

    public RedisCoordinationMetrics Metrics => _metrics;

    /// <summary>Gets a value indicating whether the last call found Redis unreachable.</summary>
    public bool IsUnavailable => Volatile.Read(ref _unavailable) != 0;

    /// <summary>Returns the database when Redis is connected; otherwise records the outage and returns <see langword="null"/>, without I/O.</summary>
    public async ValueTask<IDatabase?> GetDatabaseAsync()
    {
        IConnectionMultiplexer? multiplexer = Volatile.Read(ref _multiplexer) ?? await ConnectAsync().ConfigureAwait(false);
        if (multiplexer is null)
        {
            return null;
        }

        if (!multiplexer.IsConnected)
        {
            // The multiplexer reconnects by itself; until then every call is denied at once rather than queued.
            ReportUnavailable("not connected", null);
            return null;
        }

        return multiplexer.GetDatabase();
    }

    public void ReportAvailable()
    {
        if (Interlocked.Exchange(ref _unavailable, 0) != 0)
        {
            _failedProbes = 0;
            Interlocked.Exchange(ref _nextProbeAt, 0);
            double seconds = _time.GetElapsedTime(Interlocked.Read(ref _outageStartedAt)).TotalSeconds;
            Log.CoordinationRestored(_logger, seconds);
        }
    }

    public void ReportUnavailable(string reason, Exception? exception)
    {
        _metrics.SkippedWhileUnavailable.Add(1);
        MarkUnavailable(reason, exception);
    }

    private void MarkUnavailable(string reason, Exception? exception)
    {
        if (Interlocked.Exchange(ref _unavailable, 1) == 0)
        {
            Interlocked.Exchange(ref _outageStartedAt, _time.GetTimestamp());
            _metrics.Outages.Add(1);
            Log.CoordinationUnavailable(_logger, reason, exception);
        }
    }

    /// <summary>
    /// While unavailable, sends one <c>PING</c> when the back-off allows: a reply ends the outage. A hang that ends
    /// raises no reconnection event, and with lookups and model sharing off nothing else would ever ask.
    /// </summary>
    public async ValueTask ProbeAsync(CancellationToken cancellationToken)
    {
        if (!IsUnavailable || _time.GetTimestamp() < Interlocked.Read(ref _nextProbeAt) || Interlocked.Exchange(ref _probing, 1) != 0)
        {
            return;
        }

        try
        {
            IConnectionMultiplexer? multiplexer = Volatile.Read(ref _multiplexer) ?? await ConnectAsync().ConfigureAwait(false);
            if (multiplexer is { IsConnected: true })
            {
                await multiplexer.GetDatabase().PingAsync().WaitObservedAsync(_options.CommandTimeout, cancellationToken).ConfigureAwait(false);
                _failedProbes = 0;
                ReportAvailable();
                return;
            }
        }
        catch (Exception exception) when (IsOutage(exception))
        {
            // Still unavailable: back off below.
        }
        finally
        {
            Volatile.Write(ref _probing, 0);
        }

        int failed = Math.Min(++_failedProbes, 16);
        double seconds = Math.Min(Math.Pow(2, failed - 1) * 0.5, MaxProbeInterval.TotalSeconds);
        Interlocked.Exchange(ref _nextProbeAt, _time.GetTimestamp() + (long)(seconds * _time.TimestampFrequency));
    }

    /// <summary>Whether an exception means "Redis is unreachable or too slow" rather than a bug.</summary>
    public static bool IsOutage(Exception exception) =>
        exception is RedisException or TimeoutException or ObjectDisposedException;

    public async ValueTask DisposeAsync()
    {
        Unsubscribe();
        if (_ownsMultiplexer && _multiplexer is { } multiplexer)
        {
            // Nothing coordination sends is worth waiting for at shutdown (a lease lapses, a lookup is advice): with a
            // hung Redis, letting commands complete would add the multiplexer's timeout to the host's shutdown.
            await multiplexer.CloseAsync(allowCommandsToComplete: false).ConfigureAwait(false);
            await multiplexer.DisposeAsync().ConfigureAwait(false);
        }

        _connectGate.Dispose();
    }

    public void Dispose()
    {
        Unsubscribe();
        if (_ownsMultiplexer && _multiplexer is { } multiplexer)
        {
            multiplexer.Close(allowCommandsToComplete: false);
            multiplexer.Dispose();
        }

        _connectGate.Dispose();
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e) =>
        MarkUnavailable("connection failed (" + e.FailureType + ")", e.Exception);

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (sender is IConnectionMultiplexer { IsConnected: true })
        {
            ReportAvailable();
        }
    }

    private void Unsubscribe()
    {
        if (_multiplexer is { } multiplexer)
        {
            multiplexer.ConnectionFailed -= OnConnectionFailed;
            multiplexer.ConnectionRestored -= OnConnectionRestored;
        }
    }

    private async ValueTask<IConnectionMultiplexer?> ConnectAsync()
    {
        if (_time.GetTimestamp() < Interlocked.Read(ref _retryConnectAt))
        {
            ReportUnavailable("no connection", null);
            return null;
        }

        await _connectGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_multiplexer is { } existing)
            {
                return existing;
            }

            (IConnectionMultiplexer multiplexer, bool owned, string source) = await CreateAsync().ConfigureAwait(false);
            Log.ConnectionChosen(_logger, source);
            _ownsMultiplexer = owned;

            // The multiplexer's own events mark an outage the moment it happens, even when no prefetch is asking.
            multiplexer.ConnectionFailed += OnConnectionFailed;
            multiplexer.ConnectionRestored += OnConnectionRestored;
            Volatile.Write(ref _multiplexer, multiplexer);
            return multiplexer;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            long retryAt = _time.GetTimestamp() + (long)(ConnectRetry.TotalSeconds * _time.TimestampFrequency);
            Interlocked.Exchange(ref _retryConnectAt, retryAt);
            Log.ConnectFailed(_logger, ConnectRetry.TotalSeconds, exception);
            ReportUnavailable("no connection", exception);
            return null;
        }
        finally
        {
            _connectGate.Release();
        }
    }

    private async Task<(IConnectionMultiplexer Multiplexer, bool Owned, string Source)> CreateAsync()
    {
        if (_options.ConnectionMultiplexerFactory is { } factory)
        {
            return (await factory().ConfigureAwait(false), false, "the multiplexer from RedisCoordinationOptions.ConnectionMultiplexerFactory");
        }

        if (_services.GetService<IConnectionMultiplexer>() is { } registered)
        {
            return (registered, false, "the application's IConnectionMultiplexer");
        }

        if (string.IsNullOrWhiteSpace(_options.Configuration))
        {
            throw new InvalidOperationException(
                "Redis coordination has no connection: set RedisCoordinationOptions.Configuration or ConnectionMultiplexerFactory, or register an IConnectionMultiplexer.");
        }

        ConfigurationOptions configuration = ConfigurationOptions.Parse(_options.Configuration);

        // Start even while Redis is down: prefetching stays paused until it is reachable, the application never waits on us.
        configuration.AbortOnConnectFail = false;
        IConnectionMultiplexer connected = await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);
        return (connected, true, "its own connection from RedisCoordinationOptions.Configuration");
    }
}
