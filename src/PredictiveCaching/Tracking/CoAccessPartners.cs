using System.Numerics;
using System.Runtime.CompilerServices;

namespace PredictiveCaching.Tracking;

/// <summary>
/// The keys read within the co-access window of one key, with how many of its episodes each was read in: a
/// frequent-items summary of fixed capacity, allocated the first time a key read more than once starts an episode.
/// </summary>
/// <remarks>
/// Single writer and reader: the prefetch cycle (see <c>CoAccess</c>). Eviction only detaches the table from its
/// entry, so no lock is needed; a cycle still holding a detached table updates garbage, which is harmless.
/// Counts start with the episode that allocated the table, so counts and episodes cover the same stretch of time.
/// </remarks>
internal sealed class CoAccessPartners
{
    private readonly Slot[] _slots;
    private int _woreInEpisode;
    private ulong _doorkeeperLow;
    private ulong _doorkeeperHigh;

    public CoAccessPartners(int capacity) => _slots = new Slot[capacity];

    /// <summary>Gets the owner's episodes since the table was allocated; the current one is this number.</summary>
    public int Episodes { get; private set; } = 1;

    public int Capacity => _slots.Length;

    public void StartEpisode() => Episodes++;

    /// <summary>Counts <paramref name="partner"/> in the owner's current episode, at most once per episode.</summary>
    public void Credit(KeyAccessStatistics partner)
    {
        int episode = Episodes;
        int empty = -1;
        Slot[] slots = _slots;

        // References only: most credits find the partner or an empty slot without touching another entry.
        for (int i = 0; i < slots.Length; i++)
        {
            KeyAccessStatistics? entry = slots[i].Entry;
            if (ReferenceEquals(entry, partner))
            {
                if (slots[i].LastEpisode != episode)
                {
                    slots[i].Count++;
                    slots[i].LastEpisode = episode;
                }

                return;
            }

            if (entry is null && empty < 0)
            {
                empty = i;
            }
        }

        if (empty >= 0)
        {
            slots[empty] = new Slot(partner, 1, episode);
            return;
        }

        // Not space-saving's "inherit the minimum plus one": with many clients interleaved a key meets far more
        // one-off neighbours per episode than it has slots, and inherited counts let that noise climb past the real
        // partners, which gain one per episode. Instead a newcomer to a full table must have been met before (a
        // 128-bit doorkeeper, cleared when half full), so one-off neighbours rarely churn the slots; a slot whose key
        // was evicted goes first, then unproven slots (counted once), the one least recently counted first; proven
        // partners are only worn down, by one per episode, once every slot is proven, so a partner that stopped being
        // read eventually makes room while one read in every episode holds its place. The doorkeeper comes before
        // the scan that reads the other entries: a full table turns most newcomers away without touching them.
        if (!PassDoorkeeper(partner))
        {
            return;
        }

        int weakest = -1;
        for (int i = 0; i < slots.Length; i++)
        {
            if (slots[i].Entry!.IsEvicted)
            {
                slots[i] = new Slot(partner, 1, episode);
                return;
            }

            if (weakest < 0 || slots[i].Count < slots[weakest].Count
                || (slots[i].Count == slots[weakest].Count && slots[i].LastEpisode < slots[weakest].LastEpisode))
            {
                weakest = i;
            }
        }

        if (slots[weakest].Count <= 1)
        {
            slots[weakest] = new Slot(partner, 1, episode);
        }
        else if (_woreInEpisode != episode)
        {
            _woreInEpisode = episode;
            slots[weakest].Count--;
        }
    }

    private bool PassDoorkeeper(KeyAccessStatistics partner)
    {
        int bit = (int)(((uint)partner.StableHash * 2654435769u) >> 25);
        ref ulong half = ref bit < 64 ? ref _doorkeeperLow : ref _doorkeeperHigh;
        ulong mask = 1UL << (bit & 63);
        if ((half & mask) != 0)
        {
            return true;
        }

        half |= mask;
        if (BitOperations.PopCount(_doorkeeperLow) + BitOperations.PopCount(_doorkeeperHigh) >= 64)
        {
            _doorkeeperLow = 0;
            _doorkeeperHigh = 0;
        }

        return false;
    }

    /// <summary>
    /// Copies the live partners counted at least <paramref name="minimumCount"/> times into
    /// <paramref name="destination"/>; returns how many were written.
    /// </summary>
    public int GetConfident(Span<CoAccessLink> destination, int minimumCount)
    {
        int written = 0;
        double episodes = Episodes;
        foreach (ref readonly Slot slot in _slots.AsSpan())
        {
            if (written == destination.Length)
            {
                break;
            }

            if (slot.Entry is { IsEvicted: false } entry && slot.Count >= minimumCount)
            {
                destination[written++] = new CoAccessLink(entry, slot.Count, Math.Min(1d, slot.Count / episodes));
            }
        }

        return written;
    }

    /// <summary>Gets the partner's count (0 when not in the table), for tests and diagnostics.</summary>
    internal int CountOf(KeyAccessStatistics partner)
    {
        foreach (ref readonly Slot slot in _slots.AsSpan())
        {
            if (ReferenceEquals(slot.Entry, partner))
            {
                return slot.Count;
            }
        }

        return 0;
    }

    internal int Occupied
    {
        get
        {
            int occupied = 0;
            foreach (ref readonly Slot slot in _slots.AsSpan())
            {
                occupied += slot.Entry is null ? 0 : 1;
            }

            return occupied;
        }
    }

    private struct Slot(KeyAccessStatistics entry, int count, int lastEpisode)
    {
        public KeyAccessStatistics? Entry = entry;
        public int Count = count;
        public int LastEpisode = lastEpisode;
    }
}

/// <summary>A key read near another one, with in how many of the other's episodes and the share of them.</summary>
internal readonly record struct CoAccessLink(KeyAccessStatistics Partner, int Count, double Confidence);
