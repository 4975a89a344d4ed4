using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using PredictiveCaching.Diagnostics;
using PredictiveCaching.Loop.Outcomes;
using PredictiveCaching.Prefetching;

namespace PredictiveCaching.Loop.Execution;

/// <summary>
/// A registered <see cref="IPrefetchSource"/> with what isolates it from the others: its own concurrency limit and its
/// own resilience pipeline (circuit breaker around a timeout), built once when the sources are resolved.
/// </summary>
/// <remarks>
/// Whether the source may start a load is decided without running anything, so a prefetch never queues for a slot:
/// a source at its limit or with its breaker open is skipped when the cycle tries to start it, before budget is reserved.
/// </remarks>
internal sealed class PrefetchSource
{
    private readonly CircuitBreakerStateProvider _breaker = new();
    private readonly TimeProvider _time;
    private readonly PrefetchStatistics _statistics;
    private readonly ILogger _logger;
    private readonly int _maxConcurrency;
    private readonly TimeSpan _breakDuration;
    private readonly TimeSpan _maxBreakDuration;
    private long _openUntilTicks;
    private int _openings;
    private int _running;
    private int _reportedCanLoadFailure;
    private int _reportedBytesForHybrid;
    private int _reportedNoHybrid;
    private int _reportedOversize;

    public PrefetchSource(IPrefetchSource source, string name, PrefetchOptions options, int maxConcurrency, TimeProvider time, PrefetchStatistics statistics, ILogger logger)
    {
        Source = source;
        Name = name;
        _time = time;
        _statistics = statistics;
        _logger = logger;
        _maxConcurrency = maxConcurrency;
        _breakDuration = options.BreakDuration;
        _maxBreakDuration = options.MaxBackoff > options.BreakDuration ? options.MaxBackoff : options.BreakDuration;

        // The breaker is outside the timeout, so a load that times out counts as a failure of the source.
        Pipeline = new ResiliencePipelineBuilder { TimeProvider = time, Name = "PredictiveCaching.Prefetch", InstanceName = name }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = options.BreakerFailureRatio,
                MinimumThroughput = options.BreakerMinimumThroughput,
                SamplingDuration = options.BreakerSamplingDuration,
                BreakDuration = options.BreakDuration,
                BreakDurationGenerator = NextBreakDuration,
                StateProvider = _breaker,
                ShouldHandle = static args => new ValueTask<bool>(IsFailure(args.Outcome.Exception, args.Context.CancellationToken)),
                OnOpened = OnOpened,
                OnClosed = OnClosed,
            })
            .AddTimeout(options.Timeout)
            .Build();
    }

    public IPrefetchSource Source { get; }

    /// <summary>Gets the name logs use: the registration's position and what it loads.</summary>
    public string Name { get; }

    public ResiliencePipeline Pipeline { get; }

    public int Running => Volatile.Read(ref _running);

    public CircuitState BreakerState => _breaker.CircuitState;

    /// <summary>Returns whether a load may start now, without taking a slot: the breaker is closed or due for its probe, and a slot is free.</summary>
    public PrefetchStartResult CanStart(long nowTicks)
    {
        switch (_breaker.CircuitState)
        {
            case CircuitState.Closed:
                break;
            case CircuitState.Open when nowTicks >= Volatile.Read(ref _openUntilTicks):
                // Due for the half-open probe; TryEnter lets exactly one caller make it.
                break;
            default:
                return PrefetchStartResult.BreakerOpen;
        }

        return Volatile.Read(ref _running) < _maxConcurrency ? PrefetchStartResult.Started : PrefetchStartResult.SourceBusy;
    }

    /// <summary>Takes one of the source's slots, or the probe of an open breaker whose break has passed; never waits.</summary>
    public PrefetchStartResult TryEnter(long nowTicks)
    {
        CircuitState state = _breaker.CircuitState;
        if (state == CircuitState.Open)
        {
            long until = Volatile.Read(ref _openUntilTicks);

            // One probe per break: the winner moves the mark forward, the others see the breaker still open.
            if (nowTicks < until || Interlocked.CompareExchange(ref _openUntilTicks, nowTicks + _breakDuration.Ticks, until) != until)
            {
                return PrefetchStartResult.BreakerOpen;
            }
        }
        else if (state != CircuitState.Closed)
        {
            return PrefetchStartResult.BreakerOpen;
        }

        if (Interlocked.Increment(ref _running) > _maxConcurrency)
        {
            Interlocked.Decrement(ref _running);
            return PrefetchStartResult.SourceBusy;
        }

        return PrefetchStartResult.Started;
    }

    public void Exit() => Interlocked.Decrement(ref _running);

    /// <summary>Asks the source whether it loads <paramref name="key"/>; a predicate that throws answers no for that key only.</summary>
    public bool CanLoad(string key)
    {
        try
        {
            return Source.CanLoad(key);
        }
        catch (Exception exception)
        {
            _statistics.OnCanLoadFailed();
            if (Interlocked.Exchange(ref _reportedCanLoadFailure, 1) == 0)
            {
                Log.PrefetchSourceCanLoadFailed(_logger, Name, key, exception);
            }

            return false;
        }
    }

    /// <summary>Logs, once for the source, that it returned raw bytes for a key the application reads through HybridCache.</summary>
    public void ReportBytesForHybridCache(string key)
    {
        if (Interlocked.Exchange(ref _reportedBytesForHybrid, 1) == 0)
        {
            Log.PrefetchSourceBytesForHybridCache(_logger, Name, key);
        }
    }

    /// <summary>Logs, once for the source, that a typed value has no HybridCache to be written through.</summary>
    public void ReportNoHybridCache(string key)
    {
        if (Interlocked.Exchange(ref _reportedNoHybrid, 1) == 0)
        {
            Log.PrefetchSourceNoHybridCache(_logger, Name, key);
        }
    }

    /// <summary>Logs, once for the source, that it returned a value too large to write.</summary>
    public void ReportOversize(string key, long bytes, long capBytes)
    {
        if (Interlocked.Exchange(ref _reportedOversize, 1) == 0)
        {
            Log.PrefetchSourceOversize(_logger, Name, key, bytes, capBytes);
        }
    }

    // Shutdown is not the source's fault; anything else it throws, and a timeout, is.
    private static bool IsFailure(Exception? exception, CancellationToken shutdown) =>
        exception is not null && !(exception is OperationCanceledException && shutdown.IsCancellationRequested);

    // Each opening in a row doubles the break, up to MaxBackoff, as the per-key back-off did.
    private ValueTask<TimeSpan> NextBreakDuration(BreakDurationGeneratorArguments args)
    {
        int openings = Interlocked.Increment(ref _openings);
        long ticks = _breakDuration.Ticks;
        for (int i = 1; i < openings && ticks < _maxBreakDuration.Ticks; i++)
        {
            ticks *= 2;
        }

        return new ValueTask<TimeSpan>(TimeSpan.FromTicks(Math.Min(ticks, _maxBreakDuration.Ticks)));
    }

    private ValueTask OnOpened(OnCircuitOpenedArguments<object> args)
    {
        Volatile.Write(ref _openUntilTicks, _time.GetUtcNow().UtcTicks + args.BreakDuration.Ticks);
        _statistics.OnBreakerOpened();
        Log.PrefetchSourceBreakerOpened(_logger, Name, args.BreakDuration.TotalSeconds, args.Outcome.Exception);
        return default;
    }

    private ValueTask OnClosed(OnCircuitClosedArguments<object> args)
    {
        Volatile.Write(ref _openings, 0);
        Log.PrefetchSourceBreakerClosed(_logger, Name);
        return default;
    }
}
