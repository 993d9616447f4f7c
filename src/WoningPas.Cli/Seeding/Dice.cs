namespace WoningPas.Cli.Seeding;

/// <summary>
/// Deterministic pseudo-random numbers for one synthetic entity: the same (seed, stream, index) always gives the same
/// sequence, whatever order or thread the entities are generated in. SplitMix64: small, fast, good enough for test
/// data, and no security claim (this is not a source of secrets).
/// </summary>
internal struct Dice(long seed, int stream, long index)
{
    private ulong _state = Mix(unchecked((ulong)seed * 0x9E3779B97F4A7C15UL ^ ((ulong)stream << 48) ^ (ulong)index));

    public ulong Next()
    {
        _state = unchecked(_state + 0x9E3779B97F4A7C15UL);
        return Mix(_state);
    }

    /// <summary>A whole number in [0, max).</summary>
    public int Below(int max) => (int)(Next() % (ulong)max);

    /// <summary>True with the given probability.</summary>
    public bool Chance(double probability) => Next() / (double)ulong.MaxValue < probability;

    public decimal Between(decimal min, decimal max) => min + (max - min) * (decimal)(Next() / (double)ulong.MaxValue);

    public DateOnly DayBetween(DateOnly first, DateOnly last) =>
        first.AddDays(Below(last.DayNumber - first.DayNumber + 1));

    private static ulong Mix(ulong z)
    {
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }
}
