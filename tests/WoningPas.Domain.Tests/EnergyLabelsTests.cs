namespace WoningPas.Domain.Tests;

public class EnergyLabelsTests
{
    // DOMAIN.md: A+ < 0, A 0–100, B 100–200, C 200–300, D 300–400, E 400–500, F > 500; upper bounds inclusive.
    public static TheoryData<decimal, EnergyLabel> Bands => new()
    {
        { -250m, EnergyLabel.APlus },
        { -0.01m, EnergyLabel.APlus },
        { 0m, EnergyLabel.A },
        { 100m, EnergyLabel.A },
        { 100.01m, EnergyLabel.B },
        { 200m, EnergyLabel.B },
        { 200.01m, EnergyLabel.C },
        { 300m, EnergyLabel.C },
        { 300.01m, EnergyLabel.D },
        { 400m, EnergyLabel.D },
        { 400.01m, EnergyLabel.E },
        { 500m, EnergyLabel.E },
        { 500.01m, EnergyLabel.F },
        { 1200m, EnergyLabel.F },
    };

    [Theory]
    [MemberData(nameof(Bands))]
    public void Primary_energy_use_maps_to_the_residential_label_bands(decimal kwhPerSquareMetreYear,
        EnergyLabel expected)
    {
        Assert.Equal(expected, EnergyLabels.FromPrimaryEnergyUse(kwhPerSquareMetreYear));
    }

    [Theory]
    [InlineData(EnergyLabel.APlus, "A+")]
    [InlineData(EnergyLabel.A, "A")]
    [InlineData(EnergyLabel.B, "B")]
    [InlineData(EnergyLabel.C, "C")]
    [InlineData(EnergyLabel.D, "D")]
    [InlineData(EnergyLabel.E, "E")]
    [InlineData(EnergyLabel.F, "F")]
    public void Displays_the_label_as_printed_on_the_certificate(EnergyLabel label, string display)
    {
        Assert.Equal(display, label.ToDisplay());
        Assert.True(EnergyLabels.TryParseDisplay(display, out var parsed));
        Assert.Equal(label, parsed);
    }

    [Fact]
    public void Displaying_a_value_outside_the_enum_throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ((EnergyLabel)7).ToDisplay());
    }

    [Theory]
    [InlineData("A+", EnergyLabel.APlus)]
    [InlineData("a+", EnergyLabel.APlus)]
    [InlineData("APlus", EnergyLabel.APlus)]
    [InlineData("aplus", EnergyLabel.APlus)]
    [InlineData("a", EnergyLabel.A)]
    [InlineData("E", EnergyLabel.E)]
    [InlineData("f", EnergyLabel.F)]
    public void Parses_the_printed_form_and_the_name_in_any_case(string text, EnergyLabel expected)
    {
        Assert.True(EnergyLabels.TryParseDisplay(text, out var label));
        Assert.Equal(expected, label);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("G")]
    [InlineData("A++")]
    [InlineData(" A")]
    [InlineData("0")] // Enum.TryParse would accept numbers
    [InlineData("6")]
    [InlineData("A,B")]
    public void Rejects_text_that_is_no_label(string? text)
    {
        Assert.False(EnergyLabels.TryParseDisplay(text, out _));
    }

    [Theory]
    [InlineData(EnergyLabel.D, EnergyLabel.D, true)]
    [InlineData(EnergyLabel.C, EnergyLabel.D, true)]
    [InlineData(EnergyLabel.APlus, EnergyLabel.D, true)]
    [InlineData(EnergyLabel.E, EnergyLabel.D, false)]
    [InlineData(EnergyLabel.F, EnergyLabel.E, false)]
    [InlineData(EnergyLabel.APlus, EnergyLabel.APlus, true)]
    [InlineData(EnergyLabel.A, EnergyLabel.APlus, false)]
    public void A_plus_is_the_best_label(EnergyLabel label, EnergyLabel target, bool expected)
    {
        Assert.Equal(expected, label.IsAtLeast(target));
    }
}
