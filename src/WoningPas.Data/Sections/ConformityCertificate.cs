using WoningPas.Data.Dwellings;

namespace WoningPas.Data.Sections;

/// <summary>A housing quality conformity certificate (conformiteitsattest) from the housing agency.</summary>
public sealed class ConformityCertificate
{
    public Guid Id { get; init; }
    public Guid DwellingId { get; init; }
    public Dwelling Dwelling { get; init; } = null!;

    public required string SourceReference { get; init; }

    public DateOnly IssuedOn { get; init; }

    /// <summary>Issued after a quality investigation found defects: then valid 5 years instead of 10.</summary>
    public bool AfterInvestigationWithDefects { get; init; }

    public DateOnly ValidUntil { get; init; }

    public DateTimeOffset SourceUpdatedAt { get; init; }
}
