using WoningPas.Data.Dwellings;
using WoningPas.Domain;

namespace WoningPas.Data.Sections;

/// <summary>A notarial deed that transferred the dwelling: its date starts the renovation obligation's clock.</summary>
public sealed class Deed
{
    public Guid Id { get; init; }
    public Guid DwellingId { get; init; }
    public Dwelling Dwelling { get; init; } = null!;

    /// <summary>The notary's deed reference.</summary>
    public required string SourceReference { get; init; }

    public DateOnly SignedOn { get; init; }

    /// <summary>The EPC label at the time of the deed, if there was an EPC.</summary>
    public EnergyLabel? LabelAtDeed { get; init; }

    public DateTimeOffset SourceUpdatedAt { get; init; }
}
