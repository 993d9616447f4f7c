using System.Globalization;

namespace WoningPas.Domain;

/// <summary>
/// A Belgian national register number or BIS number (INSZ), <c>YYMMDDSSSCC</c>. It is personal data: it never goes
/// into a log, a URL or a cache key that leaves the process, which is why <see cref="ToString"/> hides it.
/// </summary>
public readonly record struct Insz
{
    private Insz(string value) => Value = value;

    /// <summary>The 11 digits, without separators.</summary>
    public string Value { get; }

    /// <summary>BIS numbers (people not in the national register) add 20 or 40 to the birth month.</summary>
    public bool IsBis => Month >= 20;

    /// <summary>Null when the number does not carry a full birth date (month or day 00, or a day the month lacks).</summary>
    public DateOnly? BirthDate
    {
        get
        {
            var month = Month % 20; // undoes a BIS shift of 20 or 40
            var year = (CheckDigitsMatch(Value, bornFrom2000: true) ? 2000 : 1900) + Digits(0, 2);
            // Only 00-31 is promised for the day, so a valid number can carry a day its month does not have.
            return month == 0 || Day == 0 || Day > DateTime.DaysInMonth(year, month)
                ? null
                : new DateOnly(year, month, Day);
        }
    }

    private int Month => Digits(2, 2);

    private int Day => Digits(4, 2);

    /// <summary>Accepts <c>90073000296</c> and the display form <c>90.07.30-002.96</c>, spaces tolerated.</summary>
    public static bool TryParse(string? input, out Insz insz)
    {
        insz = default;
        if (input is null)
        {
            return false;
        }

        var digits = string.Concat(input.Where(c => c is not ('.' or '-') && !char.IsWhiteSpace(c)));
        if (digits.Length != 11 || !digits.All(char.IsAsciiDigit))
        {
            return false;
        }

        var candidate = new Insz(digits);
        var checkDigitsMatch =
            CheckDigitsMatch(digits, bornFrom2000: false) || CheckDigitsMatch(digits, bornFrom2000: true);
        if (!checkDigitsMatch || !candidate.HasValidParts())
        {
            return false;
        }

        insz = candidate;
        return true;
    }

    /// <exception cref="FormatException">The message leaves the input out: it is personal data.</exception>
    public static Insz Parse(string input) =>
        TryParse(input, out var insz)
            ? insz
            : throw new FormatException("The value is not a valid INSZ (national register number or BIS number).");

    /// <summary>Hidden on purpose, so that string interpolation or a log line cannot leak the number.</summary>
    public override string ToString() => "Insz(***)";

    /// <summary>The form people read and write, <c>90.07.30-002.96</c>; only for the holder's own screens.</summary>
    public string ToDisplayString() => $"{Value[..2]}.{Value[2..4]}.{Value[4..6]}-{Value[6..9]}.{Value[9..]}";

    private bool HasValidParts()
    {
        // 00 is an unknown month; BIS numbers shift the month by 20 or 40, so 13-19, 33-39 and 53+ never occur.
        var monthIsValid = Month is <= 12 or (>= 20 and <= 32) or (>= 40 and <= 52);
        var sequence = Digits(6, 3);
        return monthIsValid && Day <= 31 && sequence is >= 1 and <= 998;
    }

    private int Digits(int start, int length) => ParseDigits(Value, start, length);

    /// <summary>
    /// The check digits are 97 minus the first nine digits modulo 97. For people born in 2000 or later the register
    /// computes them over "2" followed by those nine digits, which is also how the birth century is known.
    /// </summary>
    private static bool CheckDigitsMatch(string digits, bool bornFrom2000)
    {
        var body = (bornFrom2000 ? 2_000_000_000L : 0L) + ParseDigits(digits, 0, 9);
        return 97 - (body % 97) == ParseDigits(digits, 9, 2);
    }

    private static int ParseDigits(string digits, int start, int length) =>
        int.Parse(digits.AsSpan(start, length), CultureInfo.InvariantCulture);
}
