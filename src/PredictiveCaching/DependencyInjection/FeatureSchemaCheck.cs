using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PredictiveCaching.Features;

namespace PredictiveCaching.DependencyInjection;

/// <summary>
/// Builds the <see cref="FeatureSchema"/> at start, so that duplicate or empty feature names fail the host's start
/// rather than the first prediction.
/// </summary>
internal sealed class FeatureSchemaCheck(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<FeatureSchema>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
