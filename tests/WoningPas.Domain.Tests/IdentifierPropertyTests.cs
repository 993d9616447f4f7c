using System.Globalization;
using System.Text.RegularExpressions;
using CsCheck;

namespace WoningPas.Domain.Tests;

/// <summary>
/// The identifier parsers take whatever a user or a registry file holds: for any input they answer yes or no without
/// throwing, and a yes always carries the canonical form.
/// </summary>
public class IdentifierPropertyTests
{
    // Digits, separators, letters and look-alikes from elsewhere in Unicode (Arabic-Indic and full-width digits, the
    // Kelvin sign), so that "almost valid" inputs are common rather than rare.
    private static readonly Gen<char> Tricky = Gen.OneOf(
        Gen.Char['0', '9'], Gen.Const('.'), Gen.Const('-'), Gen.Const('/'), Gen.Const(' '), Gen.Const('_'),
        Gen.Char['A', 'Z'], Gen.Char['a', 'z'], Gen.Const('\u0663'), Gen.Const('\uFF11'), Gen.Const('\u212A'),
        Gen.Const('\0'), Gen.Char);

    private static readonly Gen<string> TrickyString = Tricky.Array[0, 24].Select(chars => new string(chars));

    private static readonly Regex CanonicalCaPaKey = new(@"^[0-9]{5}[A-Z][0-9]{4}/[0-9]{2}[A-Z_0][0-9]{3}\z");

    /// <summary>A valid INSZ: DOMAIN.md, check digits 97 - (first nine digits mod 97), with a "2" in front from 2000.</summary>
    private static readonly Gen<string> ValidInsz =
        Gen.Select(Gen.Int[1930, 2025], Gen.Int[1, 12], Gen.Int[1, 28], Gen.Int[1, 997])
            .Select((year, month, day, sequence) =>
            {
                var first9 = string.Create(CultureInfo.InvariantCulture, $"{year % 100:D2}{month:D2}{day:D2}{sequence:D3}");
                var basis = long.Parse(year >= 2000 ? "2" + first9 : first9, CultureInfo.InvariantCulture);
                return string.Create(CultureInfo.InvariantCulture, $"{first9}{97 - basis % 97:D2}");
            });

    private static readonly Gen<string> ValidCaPaKey =
        Gen.Select(Gen.Int[0, 99_999], Gen.Char['A', 'Z'], Gen.Int[0, 9_999], Gen.Int[0, 99],
                Gen.OneOf(Gen.Char['A', 'Z'], Gen.Const('_'), Gen.Const('0')), Gen.Int[0, 999])
            .Select((division, section, root, bis, exponent, power) => string.Create(CultureInfo.InvariantCulture,
                $"{division:D5}{section}{root:D4}/{bis:D2}{exponent}{power:D3}"));

    [Fact]
    public void Insz_parsing_never_throws_and_accepts_only_eleven_ascii_digits()
    {
        TrickyString.Sample(input =>
        {
            if (Insz.TryParse(input, out var insz))
            {
                Assert.Matches("^[0-9]{11}$", insz.Value);
            }
        }, iter: 20_000);
    }

    [Fact]
    public void Every_valid_insz_parses_in_both_forms_to_the_same_value()
    {
        ValidInsz.Sample(digits =>
        {
            var insz = Insz.Parse(digits);
            Assert.Equal(digits, insz.Value);
            Assert.Equal(insz, Insz.Parse(insz.ToDisplayString()));
        }, iter: 5_000);
    }

    [Fact]
    public void CaPaKey_parsing_never_throws_and_a_success_is_canonical()
    {
        TrickyString.Sample(input =>
        {
            if (CaPaKey.TryParse(input, out var key))
            {
                Assert.Matches(CanonicalCaPaKey, key.Value);
                Assert.Equal(key, CaPaKey.Parse(key.ToPathSegment()));
            }
        }, iter: 20_000);
    }

    [Fact]
    public void Every_valid_capakey_round_trips_through_the_path_form()
    {
        ValidCaPaKey.Sample(text =>
        {
            var key = CaPaKey.Parse(text);
            Assert.Equal(text, key.Value);
            Assert.Equal(key, CaPaKey.Parse(key.ToPathSegment()));
            Assert.Equal(key, CaPaKey.Parse(text.ToLowerInvariant()));
        }, iter: 5_000);
    }
}
