using WoningPas.Data.Dwellings;
using WoningPas.Domain;

namespace WoningPas.Data.Sections;

/// <summary>An energy performance certificate (EPC) of a dwelling, as the energy agency issued it.</summary>
public sealed class EnergyCertificate
{
    public Guid Id { get; init; }

    public Guid DwellingId { get; init; }
    public Dwelling Dwelling { get; init; } = null!;

    /// <summary>The energy agency's certificate number.</summary>
    public required string SourceReference { get; init; }

    /// <summary>Primary energy use in kWh/m² per year.</summary>
    public decimal PrimaryEnergyUse { get; init; }

    public EnergyLabel Label { get; init; }

    public DateOnly IssuedOn { get; init; }

    public DateOnly ValidUntil { get; init; }

    public DateTimeOffset SourceUpdatedAt { get; init; }
}
