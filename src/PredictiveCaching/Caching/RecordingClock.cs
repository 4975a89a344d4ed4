namespace PredictiveCaching.Caching;

/// <summary>
/// The time stamped on recorded events. With <see cref="TimeProvider.System"/> it reads the cheap millisecond tick
/// counter and re-anchors it to the wall clock once a second, because reading the wall clock on every cache call would
/// cost as much as an in-memory cache hit; any other provider (a fake in tests, a replay) is read exactly.
/// </summary>
internal sealed class RecordingClock
{
    private const long ReanchorAfterMilliseconds = 1000;

    private readonly TimeProvider _time;
    private readonly bool _coarse;
    private Anchor _anchor;

    public RecordingClock(TimeProvider time)
    {
        _time = time;
        _coarse = ReferenceEquals(time, TimeProvider.System);
        _anchor = new Anchor(time.GetUtcNow().UtcTicks, Environment.TickCount64);
    }

    public long UtcNowTicks()
    {
        if (!_coarse)
        {
            return _time.GetUtcNow().UtcTicks;
        }

        long tick = Environment.TickCount64;
        Anchor anchor = Volatile.Read(ref _anchor);
        long elapsed = tick - anchor.TickCount;
        if (elapsed is >= 0 and < ReanchorAfterMilliseconds)
        {
            return anchor.UtcTicks + (elapsed * TimeSpan.TicksPerMillisecond);
        }

        // Once a second: one allocation, so wall-clock adjustments are followed and the counter never drifts far.
        long now = _time.GetUtcNow().UtcTicks;
        Volatile.Write(ref _anchor, new Anchor(now, tick));
        return now;
    }

    private sealed record Anchor(long UtcTicks, long TickCount);
}
