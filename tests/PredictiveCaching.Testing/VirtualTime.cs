using Microsoft.Extensions.Time.Testing;

namespace PredictiveCaching.Testing;

/// <summary>The clock every harness starts from, so figures in tests and docs line up across projects.</summary>
public static class VirtualTime
{
    /// <summary>The start of virtual time: a Monday morning, 2026-11-02 08:00 UTC.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Creates a fake clock at <see cref="Start"/>.</summary>
    /// <returns>The clock.</returns>
    public static FakeTimeProvider Create() => new(Start);
}
