using System.Diagnostics.Metrics;

namespace PredictiveCaching.Redis.Diagnostics;

/// <summary>The instruments of Redis coordination, on one meter from <see cref="IMeterFactory"/> when the container has one.</summary>
internal sealed class RedisCoordinationMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly bool _ownsMeter;

    public RedisCoordinationMetrics(IMeterFactory? meterFactory = null)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(RedisCoordinationDiagnostics.MeterName) ?? new Meter(RedisCoordinationDiagnostics.MeterName);
        LeasesAcquired = _meter.CreateCounter<long>("predictive_caching.redis.lease.acquired", "{lease}", "Prefetch leases granted to this instance.");
        LeasesDenied = _meter.CreateCounter<long>("predictive_caching.redis.lease.denied", "{lease}", "Prefetch leases refused because another instance held the key.");
        Outages = _meter.CreateCounter<long>("predictive_caching.redis.unavailable", "{outage}", "Times Redis coordination became unavailable and prefetching paused.");
        SkippedWhileUnavailable = _meter.CreateCounter<long>("predictive_caching.redis.skipped", "{prefetch}", "Prefetches skipped because Redis was unreachable.");
        KeysLookedUp = _meter.CreateCounter<long>("predictive_caching.redis.ttl_lookup.keys", "{key}", "Candidate keys whose remaining time to live was read from Redis.");
        ModelsPublished = _meter.CreateCounter<long>("predictive_caching.redis.model.published", "{model}", "Trained models this instance published as the shared model.");
        ModelsFetched = _meter.CreateCounter<long>("predictive_caching.redis.model.fetched", "{model}", "Newer shared models this instance read from Redis.");
        WritesFenced = _meter.CreateCounter<long>("predictive_caching.redis.write.fenced", "{prefetch}", "Prefetched values not written because an application write or removal through some instance came after the load began (or the lease lapsed).");
        WritesUndone = _meter.CreateCounter<long>("predictive_caching.redis.write.undone", "{prefetch}", "Typed prefetches taken back out after HybridCache wrote them, because an application write, removal or tag removal through some instance came while it was writing.");
        FencesFailed = _meter.CreateCounter<long>("predictive_caching.redis.fence.failed", "{write}", "Application writes or removals whose fence against prefetches could not be set in Redis (Redis unreachable or too slow).");
        LookupDuration = _meter.CreateHistogram<double>("predictive_caching.redis.ttl_lookup.duration", "s", "Duration of one cycle's time-to-live lookup.");
    }

    public Counter<long> LeasesAcquired { get; }

    public Counter<long> LeasesDenied { get; }

    public Counter<long> Outages { get; }

    public Counter<long> SkippedWhileUnavailable { get; }

    public Counter<long> KeysLookedUp { get; }

    public Counter<long> WritesFenced { get; }

    public Counter<long> WritesUndone { get; }

    public Counter<long> FencesFailed { get; }

    public Histogram<double> LookupDuration { get; }

    public Counter<long> ModelsPublished { get; }

    public Counter<long> ModelsFetched { get; }

    public void Dispose()
    {
        // A factory's meters belong to the factory.
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
