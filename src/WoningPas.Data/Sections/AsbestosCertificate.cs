using WoningPas.Data.Dwellings;

namespace WoningPas.Data.Sections;

/// <summary>An asbestos inventory certificate (asbestattest) issued for the dwelling by the waste agency.</summary>
public sealed class AsbestosCertificate : IEditableSection
{
    public Guid Id { get; init; }
    public Guid DwellingId { get; init; }
    public Dwelling Dwelling { get; init; } = null!;

    /// <summary>The waste agency's certificate number.</summary>
    public required string SourceReference { get; set; }

    public DateOnly IssuedOn { get; set; }

    /// <summary>Non-asbestos-safe materials with a high risk were found: the certificate is then valid 5 years, not 10.</summary>
    public bool HasHighRiskMaterials { get; set; }

    public DateOnly ValidUntil { get; set; }

    public DateTimeOffset SourceUpdatedAt { get; set; }

    /// <summary>PostgreSQL's <c>xmin</c> of the row: the optimistic-concurrency token of a back-office edit.</summary>
    public uint Version { get; set; }
}
