using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PredictiveCaching.MachineLearning.Diagnostics;

namespace PredictiveCaching.MachineLearning;

/// <summary>
/// Every <see cref="MachineLearningOptions.SampleInterval"/> of <see cref="TimeProvider"/> time: labels due samples, cuts new
/// ones, and starts a training when the schedule says so (first at <see cref="MachineLearningOptions.MinSamplesForTraining"/>
/// samples, then every <see cref="MachineLearningOptions.RetrainingInterval"/> or sooner when precision drops). The
/// training itself runs on its own thread; this loop never waits for it.
/// </summary>
internal sealed class ModelTrainingService(ModelTrainer trainer, MachineLearningOptions options, TimeProvider time, ILogger<ModelTrainingService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.SampleInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                Tick();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host shutting down.
        }
    }

    internal void Tick()
    {
        try
        {
            trainer.CollectSamples();
            if (trainer.ShouldTrain())
            {
                // Not awaited: the training runs on its own thread and logs its outcome; sampling goes on meanwhile.
                _ = trainer.TrainAsync(CancellationToken.None).AsTask();
            }
        }
#pragma warning disable CA1031 // A background loop must never bring the host down; the failure is logged.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.SamplingFailed(logger, ex);
        }
    }
}
