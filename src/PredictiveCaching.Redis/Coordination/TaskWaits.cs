namespace PredictiveCaching.Redis.Coordination;

/// <summary>
/// <c>WaitAsync</c> for Redis commands that observes the command it gives up on: a command abandoned on timeout or
/// cancellation may still fault later (the connection drops), and that fault would otherwise surface as an
/// <see cref="TaskScheduler.UnobservedTaskException"/>. The core has the same helper; this package cannot see it.
/// </summary>
internal static class TaskWaits
{
    public static async Task WaitObservedAsync(this Task task, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Observe(task);
            throw;
        }
    }

    public static async Task<T> WaitObservedAsync<T>(this Task<T> task, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Observe(task);
            throw;
        }
    }

    private static void Observe(Task task)
    {
        if (task.IsCompleted)
        {
            _ = task.Exception;
            return;
        }

        task.ContinueWith(
            static t => _ = t.Exception,
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }
}
