using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PredictiveCaching.Diagnostics;

namespace PredictiveCaching.DependencyInjection;

/// <summary>
/// Warns at start about every key under the bound section that no options type reads (a typo such as
/// <c>Prefetch:MaxConcurency</c> would otherwise be ignored silently), naming the closest known key when one is close.
/// Only the topmost unknown key of a branch is reported: everything under a misspelt section is ignored with it.
/// </summary>
internal sealed class ConfigurationKeyCheck(
    PredictiveLoadingConfiguration configuration,
    IEnumerable<KnownSettingsSection> plugIns,
    ILogger<ConfigurationKeyCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        KnownSettings known = KnownSettings.Core();
        foreach (KnownSettingsSection plugIn in plugIns)
        {
            known.With(plugIn.SectionName, plugIn.Settings);
        }

        Check(configuration.Section, known);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The closest name by case-insensitive edit distance, when within about a third of the name's length.</summary>
    internal static string? ClosestName(string name, IEnumerable<string> candidates)
    {
        int allowed = Math.Clamp(name.Length / 3, 1, 3);
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string candidate in candidates)
        {
            int distance = EditDistance(name, candidate);
            if (distance <= allowed && distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best;
    }

    internal static int EditDistance(string a, string b)
    {
        int[] previous = new int[b.Length + 1];
        int[] current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = char.ToUpperInvariant(a[i - 1]) == char.ToUpperInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + substitution);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    private void Check(IConfiguration section, KnownSettings known)
    {
        foreach (IConfigurationSection child in section.GetChildren())
        {
            if (!known.TryGet(child.Key, out KnownSettings? settings))
            {
                if (known.TryGetRenamed(child.Key, out string? renamed))
                {
                    Log.DeprecatedSetting(logger, child.Path, SiblingPath(child, renamed));
                }
                else
                {
                    Report(child, known);
                }
            }
            else if (settings is not null)
            {
                Check(child, settings);
            }
            else
            {
                // A value with keys under it (Tracking:MaxTrackedKeys:Foo): nothing binds them.
                foreach (IConfigurationSection below in child.GetChildren())
                {
                    Log.UnknownSetting(logger, below.Path);
                }
            }
        }
    }

    private void Report(IConfigurationSection child, KnownSettings siblings)
    {
        string? closest = ClosestName(child.Key, siblings.Names);
        if (closest is null)
        {
            Log.UnknownSetting(logger, child.Path);
            return;
        }

        Log.UnknownSettingWithSuggestion(logger, child.Path, SiblingPath(child, closest));
    }

    // The path of the setting named `name` beside `child`.
    private static string SiblingPath(IConfigurationSection child, string name) =>
        string.Concat(child.Path.AsSpan(0, child.Path.Length - child.Key.Length), name);
}
