using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PredictiveCaching.Prefetching;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers how keys are loaded from their origin for prefetching.</summary>
public static class PrefetchSourceBuilderExtensions
{
    /// <summary>Loads the keys that start with <paramref name="keyPrefix"/> (ordinal comparison) with <paramref name="load"/>.</summary>
    /// <param name="builder">The predictive loading builder.</param>
    /// <param name="keyPrefix">The key prefix, for example <c>product:</c>.</param>
    /// <param name="load">Loads a key's value and entry options; returns <see langword="null"/> when the origin has nothing.</param>
    /// <returns>The builder.</returns>
    public static IPredictiveLoadingBuilder AddSource(this IPredictiveLoadingBuilder builder, string keyPrefix, Func<string, CancellationToken, ValueTask<PrefetchedValue?>> load)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(keyPrefix);
        ArgumentNullException.ThrowIfNull(load);
        builder.Services.AddSingleton<IPrefetchSource>(DelegatePrefetchSource.ForPrefix(keyPrefix, load));
        return builder;
    }

    /// <summary>
    /// Loads the keys that start with <paramref name="keyPrefix"/> with <paramref name="load"/>, which returns the bytes;
    /// they are written with the time to live of the application's last write of the key.
    /// </summary>
    /// <param name="builder">The predictive loading builder.</param>
    /// <param name="keyPrefix">The key prefix, for example <c>product:</c>.</param>
    /// <param name="load">Loads a key's bytes; returns <see langword="null"/> when the origin has nothing.</param>
    /// <returns>The builder.</returns>
    public static IPredictiveLoadingBuilder AddSource(this IPredictiveLoadingBuilder builder, string keyPrefix, Func<string, CancellationToken, Task<byte[]?>> load)
    {
        ArgumentNullException.ThrowIfNull(load);
        return builder.AddSource(keyPrefix, async (key, ct) => await load(key, ct).ConfigureAwait(false) is { } bytes ? new PrefetchedValue(bytes) : null);
    }

    /// <summary>Loads the keys that <paramref name="canLoad"/> accepts with <paramref name="load"/>.</summary>
    /// <param name="builder">The predictive loading builder.</param>
    /// <param name="canLoad">Selects the keys this source loads.</param>
    /// <param name="load">Loads a key's value and entry options; returns <see langword="null"/> when the origin has nothing.</param>
    /// <returns>The builder.</returns>
    public static IPredictiveLoadingBuilder AddSource(this IPredictiveLoadingBuilder builder, Func<string, bool> canLoad, Func<string, CancellationToken, ValueTask<PrefetchedValue?>> load)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(canLoad);
        ArgumentNullException.ThrowIfNull(load);
        builder.Services.AddSingleton<IPrefetchSource>(new DelegatePrefetchSource(canLoad, load));
        return builder;
    }

    /// <summary>Adds a source type resolved from the container; the first registered source that can load a key is used.</summary>
    /// <typeparam name="TSource">The source type.</typeparam>
    /// <param name="builder">The predictive loading builder.</param>
    /// <returns>The builder.</returns>
    public static IPredictiveLoadingBuilder AddSource<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TSource>(this IPredictiveLoadingBuilder builder)
        where TSource : class, IPrefetchSource
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IPrefetchSource, TSource>());
        return builder;
    }
}
