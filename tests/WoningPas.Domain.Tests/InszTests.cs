using static WoningPas.Domain.Tests.Dates;

namespace WoningPas.Domain.Tests;

public class InszTests
{
    [Theory]
    [InlineData("85073003328", "1985-07-30")]
    [InlineData("93022800159", "1993-02-28")]
    [InlineData("01010112301", "2001-01-01")] // DOMAIN.md: born 2000 or later, check over "2" + first 9 digits
    public void Accepts_the_domain_examples_and_knows_the_century_from_the_check_digits(string input, string birthDate)
    {
        Assert.True(Insz.TryParse(input, out var insz));
        Assert.Equal(input, insz.Value);
        Assert.Equal(Iso(birthDate), insz.BirthDate);
        Assert.False(insz.IsBis);
    }

    [Fact]
    public void The_same_first_nine_digits_with_the_pre_2000_check_digits_belong_to_someone_born_in_1901()
    {
        // DOMAIN.md: CC = 97 - (first 9 digits mod 97) before 2000; 69 instead of 01 moves the birth a century back.
        Assert.Equal(Iso("1901-01-01"), Insz.Parse("01010112369").BirthDate);
    }

    [Theory]
    [InlineData("85.07.30-033.28")]
    [InlineData("85 07 30 033 28")]
    [InlineData(" 85.07.30 - 033.28 ")]
    public void Accepts_the_display_form_and_normalises_to_11_digits(string input)
    {
        // DOMAIN.md: accept the display form 85.07.30-033.28 and normalise to 11 digits.
        Assert.Equal("85073003328", Insz.Parse(input).Value);
    }

    [Fact]
    public void Display_string_is_the_dotted_form()
    {
        Assert.Equal("85.07.30-033.28", Insz.Parse("85073003328").ToDisplayString());
    }

    [Fact]
    public void Different_spellings_of_one_number_are_equal()
    {
        Assert.Equal(Insz.Parse("85073003328"), Insz.Parse("85.07.30-033.28"));
    }

    [Theory]
    [InlineData("85073003329")]
    [InlineData("85073003327")]
    [InlineData("93022800158")]
    [InlineData("01010112302")]
    public void Rejects_wrong_check_digits(string input)
    {
        // DOMAIN.md: CC = 97 - (first 9 digits mod 97), or over "2" + first 9 digits from 2000.
        Assert.False(Insz.TryParse(input, out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("8507300332")]
    [InlineData("850730033280")]
    [InlineData("8507300332A")]
    [InlineData("85.07.30-033.2")]
    [InlineData("٨٥٠٧٣٠٠٣٣٢٨")] // Arabic-Indic digits are digits to char.IsDigit, not to the register
    public void Rejects_anything_that_is_not_11_digits(string? input)
    {
        // DOMAIN.md: 11 digits YYMMDDSSSCC.
        Assert.False(Insz.TryParse(input, out var insz));
        Assert.Equal(default, insz);
    }

    [Theory]
    [InlineData("85273003371", "1985-07-30")] // month + 20
    [InlineData("85473003317", "1985-07-30")] // month + 40
    [InlineData("85323003309", "1985-12-30")] // 12 + 20
    [InlineData("85523003352", "1985-12-30")] // 12 + 40
    [InlineData("05273003369", "2005-07-30")]
    public void Accepts_BIS_numbers_and_reads_the_birth_date_through_the_shifted_month(string input, string birthDate)
    {
        // DOMAIN.md: BIS numbers add 20 or 40 to the month.
        var insz = Insz.Parse(input);
        Assert.True(insz.IsBis);
        Assert.Equal(Iso(birthDate), insz.BirthDate);
    }

    [Theory]
    [InlineData("85133003370")] // 13
    [InlineData("85193003315")] // 19
    [InlineData("85333003316")] // 33
    [InlineData("85533003359")] // 53
    public void Rejects_months_that_neither_a_birth_nor_a_BIS_shift_produces(string input)
    {
        // DOMAIN.md: months 00-12, BIS adds 20 or 40; the check digits of these inputs are right.
        Assert.False(Insz.TryParse(input, out _));
    }

    [Theory]
    [InlineData("85003003376", false)] // month 00
    [InlineData("85070003355", false)] // day 00
    [InlineData("85203003322", true)] // BIS with month 00
    [InlineData("85403003365", true)]
    public void Accepts_an_unknown_birth_month_or_day_and_then_has_no_birth_date(string input, bool isBis)
    {
        // DOMAIN.md: month may be 00 (unknown birth date).
        var insz = Insz.Parse(input);
        Assert.Null(insz.BirthDate);
        Assert.Equal(isBis, insz.IsBis);
    }

    [Fact]
    public void Rejects_day_32()
    {
        Assert.False(Insz.TryParse("85073203365", out _));
    }

    [Theory]
    [InlineData("04022900132", "2004-02-29")]
    [InlineData("00022900145", "2000-02-29")] // 2000 is a leap year
    public void Reads_a_leap_day_birth_date(string input, string birthDate)
    {
        Assert.Equal(Iso(birthDate), Insz.Parse(input).BirthDate);
    }

    [Theory]
    [InlineData("00022900116")] // 29 February 1900: 1900 is no leap year
    [InlineData("85023103360")] // 31 February
    public void A_number_whose_day_does_not_exist_in_its_month_is_valid_but_has_no_birth_date(string input)
    {
        Assert.True(Insz.TryParse(input, out var insz));
        Assert.Null(insz.BirthDate);
    }

    [Theory]
    [InlineData("85073000160", true)] // 001
    [InlineData("85073199803", true)] // 998
    [InlineData("85073000061", false)] // 000
    [InlineData("85073099932", false)] // 999
    public void Sequence_number_runs_from_001_to_998(string input, bool valid)
    {
        Assert.Equal(valid, Insz.TryParse(input, out _));
    }

    [Fact]
    public void ToString_hides_the_number_so_an_accidental_log_line_leaks_nothing()
    {
        // DOMAIN.md: never log an INSZ.
        var insz = Insz.Parse("85073003328");
        Assert.Equal("Insz(***)", insz.ToString());
        Assert.DoesNotContain("85", $"holder {insz} signed in", StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("85073003329")]
    [InlineData("85.07.30-033.29")]
    public void Parse_failure_does_not_put_the_input_in_the_exception_message(string input)
    {
        // DOMAIN.md: never log an INSZ; exception messages end up in logs.
        var exception = Assert.Throws<FormatException>(() => Insz.Parse(input));
        Assert.DoesNotContain("850730", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("85.07", exception.Message, StringComparison.Ordinal);
    }
}
