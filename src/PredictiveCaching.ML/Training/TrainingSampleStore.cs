namespace PredictiveCaching.MachineLearning.Training;

/// <summary>The newest labelled samples, in a ring of bounded size. Written by the sampler, copied by the trainer.</summary>
internal sealed class TrainingSampleStore
{
    private readonly LabelledSample[] _ring;
    private readonly Lock _gate = new();
    private long _added;

    public TrainingSampleStore(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _ring = new LabelledSample[capacity];
    }

    /// <summary>Gets how many samples are held (at most the capacity).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return (int)Math.Min(_added, _ring.Length);
            }
        }
    }

    /// <summary>Gets how many samples were ever added.</summary>
    public long TotalAdded
    {
        get
        {
            lock (_gate)
            {
                return _added;
            }
        }
    }

    public void Add(in LabelledSample sample)
    {
        lock (_gate)
        {
            _ring[(int)(_added % _ring.Length)] = sample;
            _added++;
        }
    }

    /// <summary>Copies the held samples, oldest first.</summary>
    public LabelledSample[] Snapshot()
    {
        lock (_gate)
        {
            int count = (int)Math.Min(_added, _ring.Length);
            var copy = new LabelledSample[count];
            long start = _added - count;
            for (int i = 0; i < count; i++)
            {
                copy[i] = _ring[(int)((start + i) % _ring.Length)];
            }

            return copy;
        }
    }
}
