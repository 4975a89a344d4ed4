namespace Microsoft.Extensions.DependencyInjection;

internal sealed class PredictiveLoadingBuilder(IServiceCollection services) : IPredictiveLoadingBuilder
{
    public IServiceCollection Services { get; } = services;
}
