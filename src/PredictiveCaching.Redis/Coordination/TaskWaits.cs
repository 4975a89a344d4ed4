using System.Globalization;
using System.Runtime.ExceptionServices;

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

    /// <summary>The synchronous form, for the cache's synchronous members: throws what the asynchronous one would.</summary>
    public static void WaitObserved(this Task task, TimeSpan timeout)
    {
        bool completed;
        try
        {
            completed = task.Wait(timeout);
        }
        catch (AggregateException exception) when (exception.InnerExceptions.Count == 1)
        {
            ExceptionDispatchInfo.Throw(exception.InnerExceptions[0]);
            throw;
        }

        if (!completed)
        {
            Observe(task);
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"The Redis command did not complete within {timeout}."));
        }
    }

    internal static void Observe(Task task)
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
