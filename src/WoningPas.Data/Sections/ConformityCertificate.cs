using WoningPas.Data.Dwellings;

namespace WoningPas.Data.Sections;

/// <summary>A housing quality conformity certificate (conformiteitsattest) from the housing agency.</summary>
public sealed class ConformityCertificate : IEditableSection
{
    public Guid Id { get; init; }
    public Guid DwellingId { get; init; }
    public Dwelling Dwelling { get; init; } = null!;

    public required string SourceReference { get; set; }

    public DateOnly IssuedOn { get; set; }

    /// <summary>Issued after a quality investigation found defects: then valid 5 years instead of 10.</summary>
    public bool AfterInvestigationWithDefects { get; set; }

    public DateOnly ValidUntil { get; set; }

    public DateTimeOffset SourceUpdatedAt { get; set; }

    /// <summary>PostgreSQL's <c>xmin</c> of the row: the optimistic-concurrency token of a back-office edit.</summary>
    public uint Version { get; set; }
}
