namespace PredictiveCaching.Replay.Policies;

/// <summary>Maps the trace's seconds onto the virtual clock: the first request is at <see cref="StartTicks"/>.</summary>
internal sealed class TraceClock
{
    /// <summary>Where virtual time starts: a fixed instant, so that runs are reproducible.</summary>
    public static readonly DateTimeOffset Start = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public long StartTicks => Start.UtcTicks;

    public double FirstSeconds { get; private set; } = double.NaN;

    public bool IsStarted => !double.IsNaN(FirstSeconds);

    public void Begin(double firstSeconds) => FirstSeconds = firstSeconds;

    public long ToTicks(double seconds) => StartTicks + (long)((seconds - FirstSeconds) * TimeSpan.TicksPerSecond);
}
