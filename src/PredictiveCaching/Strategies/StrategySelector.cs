using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PredictiveCaching.Diagnostics;
using PredictiveCaching.Loop.Outcomes;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Resources;

namespace PredictiveCaching.Strategies;

/// <summary>
/// Holds the strategy in force and, when adaptive, moves it one step at a time along
/// Conservative ↔ Balanced ↔ Aggressive on resource pressure and measured prefetch precision.
/// </summary>
internal sealed class StrategySelector
{
    /// <summary>Precision under which prefetching is doing more harm than good: step towards conservative.</summary>
    internal const double LowPrecision = 0.5;

    /// <summary>Precision above which, with idle resources, a more aggressive strategy is worth trying.</summary>
    internal const double HighPrecision = 0.8;

    /// <summary>Fewer outcomes than this say too little about precision to act on.</summary>
    internal const int MinimumOutcomes = 20;

    /// <summary>"Free" resources: below this share of their pressure threshold.</summary>
    internal const double IdleShareOfThreshold = 0.5;

    private readonly IPrefetchStrategy[] _ladder;
    private readonly ResourceOptions _resources;
    private readonly ILogger _logger;
    private readonly bool _adaptive;
    private IPrefetchStrategy _current;
    private int _index;
    private long _changes;

    public StrategySelector(IOptions<PredictiveLoadingOptions> options, IEnumerable<IPrefetchStrategy> custom, ILogger<StrategySelector> logger)
    {
        StrategyOptions strategies = options.Value.Strategies;
        _resources = options.Value.Resources;
        _logger = logger;
        _ladder =
        [
            new BuiltInPrefetchStrategy(PrefetchStrategyKind.Conservative, strategies.Conservative),
            new BuiltInPrefetchStrategy(PrefetchStrategyKind.Balanced, strategies.Balanced),
            new BuiltInPrefetchStrategy(PrefetchStrategyKind.Aggressive, strategies.Aggressive),
        ];

        if (strategies.Custom is { } name)
        {
            _current = FindCustom(custom, name);
            _index = -1;
            _adaptive = false;
        }
        else
        {
            _index = strategies.Initial switch
            {
                PrefetchStrategyKind.Conservative => 0,
                PrefetchStrategyKind.Aggressive => 2,
                _ => 1,
            };
            _current = _ladder[_index];
            _adaptive = strategies.Adaptive;
        }
    }

    public IPrefetchStrategy Current => Volatile.Read(ref _current);

    public bool IsAdaptive => _adaptive;

    public long Changes => Interlocked.Read(ref _changes);

    /// <summary>Reconsiders the strategy; returns whether it changed.</summary>
    public bool Update(ResourceSnapshot resources, PrefetchPrecision accuracy)
    {
        if (!_adaptive)
        {
            return false;
        }

        string? pressure = PressureOf(resources);
        double precision = accuracy.Precision;
        bool precisionKnown = accuracy.OutcomesInWindow >= MinimumOutcomes && !double.IsNaN(precision);

        if (pressure is not null)
        {
            return Step(-1, pressure);
        }

        if (precisionKnown && precision < LowPrecision)
        {
            return Step(-1, FormattableString.Invariant($"prefetch precision {precision:0.00} is below {LowPrecision}"));
        }

        if (precisionKnown && precision >= HighPrecision && IsIdle(resources))
        {
            return Step(+1, FormattableString.Invariant($"resources are free and prefetch precision is {precision:0.00}"));
        }

        return false;
    }

    private bool Step(int direction, string reason)
    {
        int next = Math.Clamp(_index + direction, 0, _ladder.Length - 1);
        if (next == _index)
        {
            return false;
        }

        IPrefetchStrategy previous = _current;
        _index = next;
        Volatile.Write(ref _current, _ladder[next]);
        Interlocked.Increment(ref _changes);
        Log.StrategyChanged(_logger, previous.Name, _current.Name, reason);
        return true;
    }

    private string? PressureOf(ResourceSnapshot r)
    {
        if (r.Memory > _resources.MemoryThreshold)
        {
            return FormattableString.Invariant($"memory {r.Memory:0.00} is above {_resources.MemoryThreshold}");
        }

        if (r.Cpu > _resources.CpuThreshold)
        {
            return FormattableString.Invariant($"CPU {r.Cpu:0.00} is above {_resources.CpuThreshold}");
        }

        if (r.Io > _resources.IoThreshold)
        {
            return FormattableString.Invariant($"disk I/O {r.Io:0.00} is above {_resources.IoThreshold}");
        }

        if (r.Network > _resources.NetworkThreshold)
        {
            return FormattableString.Invariant($"network {r.Network:0.00} is above {_resources.NetworkThreshold}");
        }

        return null;
    }

    // Unknown (NaN) resources neither block nor justify a step up on their own: NaN comparisons are false.
    private bool IsIdle(ResourceSnapshot r) =>
        !(r.Memory > _resources.MemoryThreshold * IdleShareOfThreshold)
        && !(r.Cpu > _resources.CpuThreshold * IdleShareOfThreshold)
        && !(r.Io > _resources.IoThreshold * IdleShareOfThreshold)
        && !(r.Network > _resources.NetworkThreshold * IdleShareOfThreshold);

    private static IPrefetchStrategy FindCustom(IEnumerable<IPrefetchStrategy> custom, string name)
    {
        foreach (IPrefetchStrategy strategy in custom)
        {
            if (string.Equals(strategy.Name, name, StringComparison.Ordinal))
            {
                return strategy;
            }
        }

        throw new InvalidOperationException(
            $"{PredictiveLoadingOptions.SectionName}:Strategies:Custom names '{name}', but no strategy of that name is registered; register it with AddStrategy<T>().");
    }
}
