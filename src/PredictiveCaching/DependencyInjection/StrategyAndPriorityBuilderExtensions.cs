using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PredictiveCaching.Priorities;
using PredictiveCaching.Strategies;
using PredictiveCaching.Warming;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers custom strategies and key priorities.</summary>
public static class StrategyAndPriorityBuilderExtensions
{
    /// <summary>
    /// Registers a custom strategy; select it with <c>PredictiveLoading:Strategies:Custom</c> set to its
    /// <see cref="IPrefetchStrategy.Name"/> (which pins it: no adaptation).
    /// </summary>
    /// <typeparam name="TStrategy">The strategy type.</typeparam>
    /// <param name="builder">The predictive loading builder.</param>
    /// <returns>The builder.</returns>
    public static IPredictiveLoadingBuilder AddStrategy<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TStrategy>(this IPredictiveLoadingBuilder builder)
        where TStrategy : class, IPrefetchStrategy
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IPrefetchStrategy, TStrategy>());
        return builder;
    }

    /// <summary>Gives the keys that start with <paramref name="keyPrefix"/> a priority level; the first matching rule wins.</summary>
    /// <param name="builder">The predictive loading builder.</param>
    /// <param name="keyPrefix">The key prefix (ordinal comparison).</param>
    /// <param name="level">The priority level.</param>
    /// <returns>The builder.</returns>
    public static IPredictiveLoadingBuilder SetPriority(this IPredictiveLoadingBuilder builder, string keyPrefix, PriorityLevel level)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(keyPrefix);
        builder.Services.AddSingleton(new KeyPriorityRule(key => key.StartsWith(keyPrefix, StringComparison.Ordinal), level));
        return builder;
    }

    /// <summary>Gives the keys that <paramref name="matches"/> selects a priority level; the first matching rule wins.</summary>
    /// <param name="builder">The predictive loading builder.</param>
    /// <param name="matches">Selects the keys.</param>
    /// <param name="level">The priority level.</param>
    /// <returns>The builder.</returns>
    public static IPredictiveLoadingBuilder SetPriority(this IPredictiveLoadingBuilder builder, Func<string, bool> matches, PriorityLevel level)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(matches);
        builder.Services.AddSingleton(new KeyPriorityRule(matches, level));
        return builder;
    }
}
