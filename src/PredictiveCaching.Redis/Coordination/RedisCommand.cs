using System.Globalization;
using System.Runtime.ExceptionServices;

namespace PredictiveCaching.Redis.Coordination;

/// <summary>
/// Bounds a Redis command by coordination's own timeout. A command given up on still completes later, perhaps with a
/// fault: its task is then observed here, so an abandoned command never surfaces as an unobserved task exception.
/// </summary>
internal static class RedisCommand
{
    public static async Task<T> WithTimeout<T>(Task<T> command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await command.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch when (!command.IsCompleted)
        {
            Observe(command);
            throw;
        }
    }

    public static void Wait(Task command, TimeSpan timeout)
    {
        bool completed;
        try
        {
            completed = command.Wait(timeout);
        }
        catch (AggregateException exception) when (exception.InnerExceptions.Count == 1)
        {
            // The synchronous form throws what the asynchronous one would, not its wrapper.
            ExceptionDispatchInfo.Throw(exception.InnerExceptions[0]);
            throw;
        }

        if (!completed)
        {
            Observe(command);
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"The Redis command did not complete within {timeout}."));
        }
    }

    public static void Observe(Task command) =>
        command.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}
