namespace PredictiveCaching.Caching;

/// <summary>
/// The time stamped on recorded events. With <see cref="TimeProvider.System"/> a timer refreshes a cached timestamp every
/// <see cref="Resolution"/>, and a recorded read costs one memory read: reading the wall clock, or even the coarse tick
/// counter, on every cache call costs a measurable share of an in-memory hit. Any other provider (a fake in tests, a
/// replay in virtual time) is read exactly, and no timer runs.
/// </summary>
/// <remarks>
/// Ten milliseconds is far below what the statistics need (intervals between reads are seconds to hours, successor
/// gaps seconds) and costs a hundred timer ticks a second, each a single clock read and store. If the thread pool is
/// starved the timestamp can lag until the next tick; the statistics then see slightly shorter intervals, nothing worse.
/// </remarks>
internal sealed class RecordingClock : IDisposable
{
    internal static readonly TimeSpan Resolution = TimeSpan.FromMilliseconds(10);

    private readonly TimeProvider _time;
    private readonly ITimer? _refresh;
    private long _cachedUtcTicks;

    public RecordingClock(TimeProvider time)
    {
        _time = time;
        _cachedUtcTicks = time.GetUtcNow().UtcTicks;
        if (ReferenceEquals(time, TimeProvider.System))
        {
            _refresh = time.CreateTimer(static state => ((RecordingClock)state!).Refresh(), this, Resolution, Resolution);
        }
    }

    public long UtcNowTicks() => _refresh is null ? _time.GetUtcNow().UtcTicks : Volatile.Read(ref _cachedUtcTicks);

    public void Dispose() => _refresh?.Dispose();

    private void Refresh() => Volatile.Write(ref _cachedUtcTicks, _time.GetUtcNow().UtcTicks);
}
