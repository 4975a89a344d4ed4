using PredictiveCaching.Resources;

namespace PredictiveCaching.Tests.Resources;

internal sealed class FakeResourceProbe(string name, ResourceKind kind, double value = double.NaN) : IResourceProbe
{
    public string Name { get; } = name;

    public ResourceKind Kind { get; } = kind;

    public double Value { get; set; } = value;

    public Exception? Failure { get; set; }

    public int Samples { get; private set; }

    public double Sample()
    {
        Samples++;
        if (Failure is not null)
        {
            throw Failure;
        }

        return Value;
    }
}
