namespace PredictiveCaching.Internal;

/// <summary>
/// Observes tasks that their caller stopped waiting for (a <c>WaitAsync</c> that timed out or was cancelled while the
/// task ran on): a fault they end with later would otherwise reach <see cref="TaskScheduler.UnobservedTaskException"/>
/// when the task is collected.
/// </summary>
internal static class AbandonedTasks
{
    /// <summary>Marks whatever fault <paramref name="task"/> has or will have as observed.</summary>
    /// <remarks>Call it only once the task is abandoned, so the path where it is awaited to the end allocates nothing.</remarks>
    /// <param name="task">The abandoned task.</param>
    public static void Observe(Task task)
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
