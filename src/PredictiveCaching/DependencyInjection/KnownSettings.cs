using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using PredictiveCaching.Prefetching;
using PredictiveCaching.Resources;
using PredictiveCaching.Strategies;
using PredictiveCaching.Tracking;
using PredictiveCaching.Warming;

namespace PredictiveCaching.DependencyInjection;

/// <summary>
/// The setting names one options type binds, as a tree: a name maps to its sub-settings, or to <see langword="null"/>
/// for a value. Built from the public properties of types named explicitly (never by following property types), so the
/// trimmer keeps exactly what is listed. Configuration keys are case-insensitive, and so are these.
/// </summary>
internal sealed class KnownSettings
{
    private readonly Dictionary<string, KnownSettings?> _children = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _renamed = new(StringComparer.OrdinalIgnoreCase);

    public IEnumerable<string> Names => _children.Keys;

    /// <summary>The core's settings: <see cref="PredictiveLoadingOptions"/> and its sub-options.</summary>
    public static KnownSettings Core() =>
        Of<PredictiveLoadingOptions>()
            .With(nameof(PredictiveLoadingOptions.Strategies), Of<StrategyOptions>()
                .With(nameof(StrategyOptions.Aggressive), Strategy())
                .With(nameof(StrategyOptions.Balanced), Strategy())
                .With(nameof(StrategyOptions.Conservative), Strategy()))
            .With(nameof(PredictiveLoadingOptions.Tracking), Of<TrackingOptions>())
            .With(nameof(PredictiveLoadingOptions.Resources), Of<ResourceOptions>())
            .With(nameof(PredictiveLoadingOptions.Prefetch), Prefetch())
            .With(nameof(PredictiveLoadingOptions.Warming), Of<WarmingOptions>());

    /// <summary>The settings of one strategy, with the names they had before.</summary>
    public static KnownSettings Strategy() =>
        Of<PrefetchStrategyOptions>().Renamed(LegacySettings.ConfidenceThreshold, nameof(PrefetchStrategyOptions.ProbabilityThreshold));

    /// <summary>The prefetch settings, with the names they had before.</summary>
    public static KnownSettings Prefetch()
    {
        KnownSettings settings = Of<PrefetchOptions>();
        foreach ((string oldName, string newName, _) in LegacySettings.PrefetchRenames)
        {
            settings.Renamed(oldName, newName);
        }

        return settings;
    }

    /// <summary>Every public instance property of <typeparamref name="T"/>, as a value.</summary>
    public static KnownSettings Of<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] T>()
    {
        var settings = new KnownSettings();
        foreach (PropertyInfo property in typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            settings._children[property.Name] = null;
        }

        return settings;
    }

    /// <summary>Makes <paramref name="name"/> a section with the settings <paramref name="child"/>.</summary>
    public KnownSettings With(string name, KnownSettings child)
    {
        _children[name] = child;
        return this;
    }

    /// <summary>Records that <paramref name="oldName"/> is still read, as <paramref name="newName"/>, with a warning.</summary>
    public KnownSettings Renamed(string oldName, string newName)
    {
        _renamed[oldName] = newName;
        return this;
    }

    /// <summary>Returns the current name of a deprecated setting, if <paramref name="name"/> is one.</summary>
    public bool TryGetRenamed(string name, [NotNullWhen(true)] out string? newName) => _renamed.TryGetValue(name, out newName);

    /// <summary>Looks a name up; <paramref name="child"/> is <see langword="null"/> for a value.</summary>
    public bool TryGet(string name, out KnownSettings? child) => _children.TryGetValue(name, out child);
}

/// <summary>A plug-in's settings under the predictive loading section, registered by <c>AddKnownSettings</c>.</summary>
internal sealed record KnownSettingsSection(string SectionName, KnownSettings Settings);

/// <summary>The configuration section <c>AddPredictiveLoading(IConfiguration)</c> bound the options from.</summary>
internal sealed record PredictiveLoadingConfiguration(IConfiguration Section);
