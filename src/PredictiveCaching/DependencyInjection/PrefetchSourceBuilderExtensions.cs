using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PredictiveCaching.Loop.Execution;
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

    /// <summary>
    /// Loads the keys that start with <paramref name="keyPrefix"/>, which the application reads through <c>HybridCache</c>,
    /// with <paramref name="load"/>, which returns the object; it is written with <c>HybridCache.SetAsync</c>, so
    /// HybridCache serializes it with its configured serializer and stores it in L1 and L2 as its own factory would, and a
    /// later <c>GetOrCreateAsync</c> is served without calling the factory. A raw-bytes source (<c>AddSource</c>) is for
    /// keys read cache-aside through <see cref="IDistributedCache"/>.
    /// </summary>
    /// <typeparam name="T">The type the application reads, as in <c>GetOrCreateAsync&lt;T&gt;</c>.</typeparam>
    /// <param name="builder">The predictive loading builder.</param>
    /// <param name="keyPrefix">The key prefix, for example <c>product:</c>.</param>
    /// <param name="load">Loads a key's value; returns <see langword="null"/> when the origin has nothing.</param>
    /// <param name="options">
    /// The entry options to write with, as the application passes to <c>GetOrCreateAsync</c>; <see langword="null"/> uses
    /// the time to live of the key's last write (and HybridCache's default when none is known).
    /// </param>
    /// <param name="tags">The tags to write with, as the application passes to <c>GetOrCreateAsync</c>.</param>
    /// <returns>The builder.</returns>
    public static IPredictiveLoadingBuilder AddHybridSource<T>(
        this IPredictiveLoadingBuilder builder,
        string keyPrefix,
        Func<string, CancellationToken, ValueTask<T?>> load,
        HybridCacheEntryOptions? options = null,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return AddHybridSourceCore(builder, serviceKey: null, keyPrefix, load, options, tags);
    }

    /// <summary>
    /// Like <see cref="AddHybridSource{T}"/>, for keys the application reads through the keyed HybridCache registered with
    /// <c>services.AddKeyedHybridCache(serviceKey, …)</c>: the object is written with that cache's <c>SetAsync</c>, so it
    /// lands in that cache's L1 and L2 with its serializer.
    /// </summary>
    /// <typeparam name="T">The type the application reads, as in <c>GetOrCreateAsync&lt;T&gt;</c>.</typeparam>
    /// <param name="builder">The predictive loading builder.</param>
    /// <param name="serviceKey">The service key the HybridCache was registered with (not <see langword="null"/>: that is the default HybridCache).</param>
    /// <param name="keyPrefix">The key prefix, for example <c>product:</c>.</param>
    /// <param name="load">Loads a key's value; returns <see langword="null"/> when the origin has nothing.</param>
    /// <param name="options">
    /// The entry options to write with, as the application passes to <c>GetOrCreateAsync</c>; <see langword="null"/> uses
    /// the time to live of the key's last write (and that HybridCache's default when none is known).
    /// </param>
    /// <param name="tags">The tags to write with, as the application passes to <c>GetOrCreateAsync</c>.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// Every decorated HybridCache records into one tracker, so give each keyed cache's keys their own prefix: a key read
    /// through two caches is one key to the tracker, and is prefetched into the cache its source names.
    /// </remarks>
    public static IPredictiveLoadingBuilder AddKeyedHybridSource<T>(
        this IPredictiveLoadingBuilder builder,
        object serviceKey,
        string keyPrefix,
        Func<string, CancellationToken, ValueTask<T?>> load,
        HybridCacheEntryOptions? options = null,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(serviceKey);
        return AddHybridSourceCore(builder, serviceKey, keyPrefix, load, options, tags);
    }

    private static IPredictiveLoadingBuilder AddHybridSourceCore<T>(
        IPredictiveLoadingBuilder builder,
        object? serviceKey,
        string keyPrefix,
        Func<string, CancellationToken, ValueTask<T?>> load,
        HybridCacheEntryOptions? options,
        IEnumerable<string>? tags)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyPrefix);
        ArgumentNullException.ThrowIfNull(load);
        string[]? tagArray = tags is null ? null : [.. tags];
        string cache = serviceKey is null ? "HybridCache" : "HybridCache '" + serviceKey + "'";
        builder.Services.AddSingleton<IPrefetchSource>(new DelegatePrefetchSource(
            key => key.StartsWith(keyPrefix, StringComparison.Ordinal),
            async (key, ct) => await load(key, ct).ConfigureAwait(false) is { } value
                ? new PrefetchedValue(new HybridPrefetchValue<T>(value, options, tagArray, serviceKey))
                : null,
            "prefix '" + keyPrefix + "' (" + cache + ", " + typeof(T).Name + ")"));
        return builder;
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
