using Microsoft.Extensions.Internal;
using Microsoft.Extensions.Time.Testing;

namespace PredictiveCaching.Tests.Caching;

/// <summary>
/// MemoryDistributedCache has no TimeProvider option in 10.0, only MemoryCacheOptions.Clock; this routes it to the
/// same FakeTimeProvider the tracker reads, so expiry of the raw and the decorated cache moves with Advance().
/// </summary>
public sealed class FakeSystemClock(FakeTimeProvider time) : ISystemClock
{
    public DateTimeOffset UtcNow => time.GetUtcNow();
}
