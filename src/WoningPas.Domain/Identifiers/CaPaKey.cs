using System.Text.RegularExpressions;

namespace WoningPas.Domain;

/// <summary>
/// A cadastral parcel key, <c>12345A1234/12A123</c>: division, section, root number, bis number, exponent and power.
/// </summary>
public readonly partial record struct CaPaKey
{
    private CaPaKey(string value) => Value = value;

    /// <summary>The canonical form, upper case with a slash: <c>12345A1234/12A123</c>.</summary>
    public string Value { get; }

    /// <summary>The cadastral division, 5 digits.</summary>
    public string Division => Value[..5];

    /// <summary>The section letter.</summary>
    public char Section => Value[5];

    /// <summary>The root number (grondnummer), 4 digits.</summary>
    public string RootNumber => Value[6..10];

    /// <summary>The bis number, 2 digits.</summary>
    public string BisNumber => Value[11..13];

    /// <summary>The exponent: a letter, or <c>_</c> or <c>0</c> when the parcel has none.</summary>
    public char Exponent => Value[13];

    /// <summary>The power (macht), 3 digits.</summary>
    public string Power => Value[14..];

    /// <summary>
    /// Accepts the canonical form and the registries' REST path form, where the slash is written <c>-</c>; lower-case
    /// letters are accepted and normalised to upper case.
    /// </summary>
    public static bool TryParse(string? input, out CaPaKey caPaKey)
    {
        if (input is null || !CaPaKeyPattern().IsMatch(input))
        {
            caPaKey = default;
            return false;
        }

        caPaKey = new CaPaKey(input.ToUpperInvariant().Replace('-', '/'));
        return true;
    }

    public static CaPaKey Parse(string input) =>
        TryParse(input, out var caPaKey)
            ? caPaKey
            : throw new FormatException(
                "A CaPaKey has the form 12345A1234/12A123 (or 12345A1234-12A123 in a URL path).");

    /// <summary>The form for URL paths, where a slash would split the segment: <c>12345A1234-12A123</c>.</summary>
    public string ToPathSegment() => Value.Replace('/', '-');

    public override string ToString() => Value;

    // The letters are listed as [A-Za-z] rather than matched with IgnoreCase, which would also let in look-alikes
    // such as the Kelvin sign; \z rather than $, which also matches before a trailing newline.
    [GeneratedRegex(@"^[0-9]{5}[A-Za-z][0-9]{4}[/-][0-9]{2}[A-Za-z_0][0-9]{3}\z")]
    private static partial Regex CaPaKeyPattern();
}
