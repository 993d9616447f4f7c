namespace WoningPas.Domain.Tests;

public class CaPaKeyTests
{
    [Fact]
    public void Parses_the_canonical_form_into_its_parts()
    {
        // DOMAIN.md: 5-digit division, section letter, 4-digit root number, /, 2-digit bis number, exponent, power.
        var key = CaPaKey.Parse("12345A1234/12B123");

        Assert.Equal("12345A1234/12B123", key.Value);
        Assert.Equal("12345", key.Division);
        Assert.Equal('A', key.Section);
        Assert.Equal("1234", key.RootNumber);
        Assert.Equal("12", key.BisNumber);
        Assert.Equal('B', key.Exponent);
        Assert.Equal("123", key.Power);
    }

    [Theory]
    [InlineData("12345A1234/12_123", '_')]
    [InlineData("12345A1234/120123", '0')]
    public void The_exponent_may_be_an_underscore_or_a_zero(string input, char exponent)
    {
        // DOMAIN.md: exponent letter (or _/0).
        Assert.Equal(exponent, CaPaKey.Parse(input).Exponent);
    }

    [Fact]
    public void Accepts_the_REST_path_form_and_gives_it_back_for_URLs()
    {
        // DOMAIN.md: registries' REST APIs write the slash as - in paths.
        var key = CaPaKey.Parse("12345A1234-12A123");

        Assert.Equal("12345A1234/12A123", key.Value);
        Assert.Equal("12345A1234-12A123", key.ToPathSegment());
    }

    [Fact]
    public void Normalises_lower_case_letters_to_upper_case()
    {
        var key = CaPaKey.Parse("12345a1234/12b123");

        Assert.Equal("12345A1234/12B123", key.Value);
        Assert.Equal(CaPaKey.Parse("12345A1234-12B123"), key);
    }

    [Fact]
    public void ToString_is_the_canonical_form()
    {
        Assert.Equal("12345A1234/12A123", $"{CaPaKey.Parse("12345a1234-12a123")}");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("1234A1234/12A123")] // 4-digit division
    [InlineData("12345A123/12A123")] // 3-digit root number
    [InlineData("12345A1234/1A123")] // 1-digit bis number
    [InlineData("12345A1234/12A12")] // 2-digit power
    [InlineData("12345A1234/12A1234")] // 4-digit power
    [InlineData("123451A1234/12A123")]
    [InlineData("1234511234/12A123")] // digit as section
    [InlineData("12345A1234/121123")] // exponent digit other than 0
    [InlineData("12345A1234/12-123")]
    [InlineData("12345A1234 12A123")]
    [InlineData("12345A1234_12A123")]
    [InlineData("12345A1234/12A123\n")] // $ would match before a trailing newline
    [InlineData(" 12345A1234/12A123")]
    [InlineData("12345Ä1234/12A123")]
    [InlineData("12345\u212A1234/12A123")] // Kelvin sign, equal to K when case is ignored
    public void Rejects_anything_that_does_not_match_the_pattern(string? input)
    {
        // DOMAIN.md: ^[0-9]{5}[A-Z][0-9]{4}/[0-9]{2}[A-Z_0][0-9]{3}$
        Assert.False(CaPaKey.TryParse(input, out var key));
        Assert.Equal(default, key);
    }

    [Fact]
    public void Parse_failure_names_the_expected_form()
    {
        var exception = Assert.Throws<FormatException>(() => CaPaKey.Parse("12345A1234"));
        Assert.Contains("12345A1234/12A123", exception.Message, StringComparison.Ordinal);
    }
}
