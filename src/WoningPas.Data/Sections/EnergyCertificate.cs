using WoningPas.Data.Dwellings;
using WoningPas.Domain;

namespace WoningPas.Data.Sections;

/// <summary>An energy performance certificate (EPC) of a dwelling, as the energy agency issued it.</summary>
public sealed class EnergyCertificate : IEditableSection
{
    public Guid Id { get; init; }

    public Guid DwellingId { get; init; }
    public Dwelling Dwelling { get; init; } = null!;

    /// <summary>The energy agency's certificate number.</summary>
    public required string SourceReference { get; set; }

    /// <summary>Primary energy use in kWh/m² per year.</summary>
    public decimal PrimaryEnergyUse { get; set; }

    public EnergyLabel Label { get; set; }

    public DateOnly IssuedOn { get; set; }

    public DateOnly ValidUntil { get; set; }

    public DateTimeOffset SourceUpdatedAt { get; set; }

    /// <summary>
    /// PostgreSQL's <c>xmin</c> of the row: changes with every update, so an editor who saves on top of an older
    /// version is refused instead of overwriting a colleague (optimistic concurrency, no column of our own).
    /// </summary>
    public uint Version { get; set; }
}
