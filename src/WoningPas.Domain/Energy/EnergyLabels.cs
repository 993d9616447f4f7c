namespace WoningPas.Domain;

public static class EnergyLabels
{
    /// <summary>
    /// The residential label for a primary energy use in kWh/m²·yr. The bands' upper bounds are inclusive (100 is
    /// still A) because the domain puts F at "&gt; 500", so 500 itself is E.
    /// </summary>
    public static EnergyLabel FromPrimaryEnergyUse(decimal kwhPerSquareMetreYear) => kwhPerSquareMetreYear switch
    {
        < 0m => EnergyLabel.APlus,
        <= 100m => EnergyLabel.A,
        <= 200m => EnergyLabel.B,
        <= 300m => EnergyLabel.C,
        <= 400m => EnergyLabel.D,
        <= 500m => EnergyLabel.E,
        _ => EnergyLabel.F,
    };

    /// <summary>The label as printed on the certificate: "A+", "A", … "F".</summary>
    public static string ToDisplay(this EnergyLabel label) => label switch
    {
        EnergyLabel.APlus => "A+",
        EnergyLabel.A => "A",
        EnergyLabel.B => "B",
        EnergyLabel.C => "C",
        EnergyLabel.D => "D",
        EnergyLabel.E => "E",
        EnergyLabel.F => "F",
        _ => throw new ArgumentOutOfRangeException(nameof(label), label, "Not an energy label."),
    };

    /// <summary>
    /// Accepts the printed form ("A+") and the enum name ("APlus"), in any case. Unlike Enum.TryParse it rejects
    /// numbers, which would otherwise turn "7" into a label that does not exist.
    /// </summary>
    public static bool TryParseDisplay(string? text, out EnergyLabel label)
    {
        foreach (var candidate in Enum.GetValues<EnergyLabel>())
        {
            if (string.Equals(text, candidate.ToDisplay(), StringComparison.OrdinalIgnoreCase)
                || string.Equals(text, candidate.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                label = candidate;
                return true;
            }
        }

        label = default;
        return false;
    }

    /// <summary>Whether the label is the target or better; A+ is the best.</summary>
    public static bool IsAtLeast(this EnergyLabel label, EnergyLabel target) => label <= target;
}
