using System.Globalization;
using Microsoft.Extensions.Options;
using PredictiveCaching.Strategies;

namespace PredictiveCaching.DependencyInjection;

/// <summary>
/// Validates <see cref="PredictiveLoadingOptions"/> at start, naming each bad option by its configuration path and value.
/// </summary>
internal sealed class PredictiveLoadingOptionsValidator : IValidateOptions<PredictiveLoadingOptions>
{
    private const string Root = PredictiveLoadingOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, PredictiveLoadingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new Failures();

        const string strategies = Root + ":Strategies";
        failures.Defined(strategies + ":Initial", options.Strategies.Initial);
        if (options.Strategies.Custom is { } custom && string.IsNullOrWhiteSpace(custom))
        {
            failures.Add(strategies + ":Custom", "must name a registered strategy or be left unset", "'" + custom + "'");
        }

        failures.Duration(strategies + ":UpdateInterval", options.Strategies.UpdateInterval, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        ValidateStrategy(failures, strategies + ":Aggressive", options.Strategies.Aggressive);
        ValidateStrategy(failures, strategies + ":Balanced", options.Strategies.Balanced);
        ValidateStrategy(failures, strategies + ":Conservative", options.Strategies.Conservative);

        const string tracking = Root + ":Tracking";
        failures.Between(tracking + ":MaxTrackedKeys", options.Tracking.MaxTrackedKeys, 16, 100_000_000);
        failures.Between(tracking + ":MaxTrackedBytes", options.Tracking.MaxTrackedBytes, 1L << 20, 64L << 30);
        failures.Between(tracking + ":MaxSuccessors", options.Tracking.MaxSuccessors, 0, 16);
        failures.Duration(tracking + ":SuccessorGap", options.Tracking.SuccessorGap, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(10));
        failures.Duration(tracking + ":CoAccessWindow", options.Tracking.CoAccessWindow, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        failures.Between(tracking + ":MaxPartners", options.Tracking.MaxPartners, 0, 32);
        failures.Between(tracking + ":MinCoAccessCount", options.Tracking.MinCoAccessCount, 1, 1000);
        failures.Between(tracking + ":AdmissionReads", options.Tracking.AdmissionReads, 1, 4);
        failures.Between(tracking + ":ProtectedShare", options.Tracking.ProtectedShare, 0.1, 0.95);

        const string resources = Root + ":Resources";
        failures.Duration(resources + ":CheckInterval", options.Resources.CheckInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1));
        failures.UnitOpenBelow(resources + ":MemoryThreshold", options.Resources.MemoryThreshold);
        failures.UnitOpenBelow(resources + ":CpuThreshold", options.Resources.CpuThreshold);
        failures.UnitOpenBelow(resources + ":IoThreshold", options.Resources.IoThreshold);
        failures.UnitOpenBelow(resources + ":NetworkThreshold", options.Resources.NetworkThreshold);
        failures.Between(resources + ":AssumedNetworkBytesPerSecond", options.Resources.AssumedNetworkBytesPerSecond, 1L, long.MaxValue);

        const string prefetch = Root + ":Prefetch";
        failures.Duration(prefetch + ":CycleInterval", options.Prefetch.CycleInterval, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(10));
        failures.Between(prefetch + ":MaxConcurrency", options.Prefetch.MaxConcurrency, 1, 1024);
        if (options.Prefetch.MaxConcurrencyPerSource is { } perSource)
        {
            failures.Between(prefetch + ":MaxConcurrencyPerSource", perSource, 1, Math.Max(1, options.Prefetch.MaxConcurrency));
        }

        // Polly's timeout strategy takes no less than 10 ms.
        failures.Duration(prefetch + ":Timeout", options.Prefetch.Timeout, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(10));
        failures.UnitOpenBelow(prefetch + ":BreakerFailureRatio", options.Prefetch.BreakerFailureRatio);
        failures.Between(prefetch + ":BreakerMinimumThroughput", options.Prefetch.BreakerMinimumThroughput, 2, 10_000);
        failures.Duration(prefetch + ":BreakerSamplingDuration", options.Prefetch.BreakerSamplingDuration, TimeSpan.FromMilliseconds(500), TimeSpan.FromDays(1));
        failures.Duration(prefetch + ":BreakDuration", options.Prefetch.BreakDuration, TimeSpan.FromMilliseconds(500), TimeSpan.FromDays(1));
        failures.Duration(prefetch + ":DefaultTimeToLive", options.Prefetch.DefaultTimeToLive, TimeSpan.FromSeconds(1), TimeSpan.FromDays(30));
        if (options.Prefetch.MaxValueBytes is { } maxValueBytes)
        {
            failures.Between(prefetch + ":MaxValueBytes", maxValueBytes, 1L, long.MaxValue);
        }

        failures.Duration(prefetch + ":MaxBackoff", options.Prefetch.MaxBackoff, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        failures.Between(prefetch + ":PrecisionWindow", options.Prefetch.PrecisionWindow, 10, 1_000_000);
        failures.Between(prefetch + ":RecentPrecisionWindow", options.Prefetch.RecentPrecisionWindow, 1, Math.Max(1, options.Prefetch.PrecisionWindow));
        failures.Between(prefetch + ":InitialPrecision", options.Prefetch.InitialPrecision, 0d, 1d);

        const string warming = Root + ":Warming";
        failures.Duration(warming + ":Interval", options.Warming.Interval, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        failures.Between(warming + ":BatchSize", options.Warming.BatchSize, 1, 100_000);
        failures.Between(warming + ":CriticalPriority", options.Warming.CriticalPriority, 0d, 1d);
        failures.Between(warming + ":HighPriority", options.Warming.HighPriority, 0d, 1d);
        failures.Between(warming + ":NormalPriority", options.Warming.NormalPriority, 0d, 1d);
        failures.Between(warming + ":LowPriority", options.Warming.LowPriority, 0d, 1d);

        return failures.ToResult();
    }

    private static void ValidateStrategy(Failures failures, string path, PrefetchStrategyOptions strategy)
    {
        failures.UnitOpenBelow(path + ":ProbabilityThreshold", strategy.ProbabilityThreshold);
        failures.Duration(path + ":LookaheadWindow", strategy.LookaheadWindow, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        failures.Between(path + ":PrefetchBudgetBytes", strategy.PrefetchBudgetBytes, 1L, long.MaxValue);
        failures.UnitOpenBelow(path + ":ResourceLimit", strategy.ResourceLimit);
    }

    private sealed class Failures
    {
        private List<string>? _messages;

        public void UnitOpenBelow(string path, double value)
        {
            if (!(value > 0d && value <= 1d))
            {
                Add(path, "must be in (0, 1]", value);
            }
        }

        public void Between(string path, double value, double min, double max)
        {
            if (!(value >= min && value <= max))
            {
                Add(path, string.Create(CultureInfo.InvariantCulture, $"must be in [{min}, {max}]"), value);
            }
        }

        public void Between(string path, long value, long min, long max)
        {
            if (value < min || value > max)
            {
                string range = max == long.MaxValue
                    ? string.Create(CultureInfo.InvariantCulture, $"must be at least {min}")
                    : string.Create(CultureInfo.InvariantCulture, $"must be in [{min}, {max}]");
                Add(path, range, value);
            }
        }

        public void Duration(string path, TimeSpan value, TimeSpan min, TimeSpan max)
        {
            if (value < min || value > max)
            {
                Add(path, string.Create(CultureInfo.InvariantCulture, $"must be in [{min:c}, {max:c}]"), value);
            }
        }

        public void Defined<TEnum>(string path, TEnum value)
            where TEnum : struct, Enum
        {
            if (!Enum.IsDefined(value))
            {
                Add(path, "must be one of " + string.Join(", ", Enum.GetNames<TEnum>()), value);
            }
        }

        public ValidateOptionsResult ToResult() =>
            _messages is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(_messages);

        public void Add(string path, string rule, object value) =>
            (_messages ??= []).Add(string.Create(CultureInfo.InvariantCulture, $"{path} {rule}; was {value}"));
    }
}
