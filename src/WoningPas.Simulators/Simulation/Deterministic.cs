using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace WoningPas.Simulators.Simulation;

/// <summary>
/// The simulators hold no data: every answer is derived from the registry's name and the requested id through
/// SHA-256, so the same id always gives the same answer, across restarts and machines.
/// </summary>
public sealed partial class Deterministic
{
    private static readonly DateOnly Epoch = new(2000, 1, 1);
    private readonly byte[] _bytes;
    private int _next;

    public Deterministic(string registry, string key)
    {
        _bytes = SHA256.HashData(Encoding.UTF8.GetBytes(registry + "|" + key));
    }

    /// <summary>A number in [0, bound), from the next bytes of the hash.</summary>
    public int Next(int bound)
    {
        var value = (_bytes[_next % _bytes.Length] << 8) | _bytes[(_next + 1) % _bytes.Length];
        _next += 2;
        return value % bound;
    }

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>A day between 2000-01-01 and about 2025, fixed for the id (never "today": answers must not drift).</summary>
    public DateOnly Day() => Epoch.AddDays(Next(9300));

    public string Digits(int count)
    {
        var builder = new StringBuilder(count);
        for (var i = 0; i < count; i++)
        {
            builder.Append((char)('0' + Next(10)));
        }

        return builder.ToString();
    }

    public static DateTimeOffset UpdatedAt(DateOnly day) => new(day.ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero);

    /// <summary>A CaPaKey as registries write it in a path: the slash as a dash (12345A1234-12A123).</summary>
    [GeneratedRegex("^[0-9]{5}[A-Z][0-9]{4}-[0-9]{2}[A-Z_0][0-9]{3}$", RegexOptions.CultureInvariant)]
    public static partial Regex PathCaPaKey();

    public static bool IsId(string value) => Guid.TryParse(value, out _);
}
