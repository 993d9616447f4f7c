using WoningPas.Data.Dwellings;

namespace WoningPas.Data.Sections;

/// <summary>An asbestos inventory certificate (asbestattest) issued for the dwelling by the waste agency.</summary>
public sealed class AsbestosCertificate
{
    public Guid Id { get; init; }
    public Guid DwellingId { get; init; }
    public Dwelling Dwelling { get; init; } = null!;

    /// <summary>The waste agency's certificate number.</summary>
    public required string SourceReference { get; init; }

    public DateOnly IssuedOn { get; init; }

    /// <summary>Non-asbestos-safe materials with a high risk were found: the certificate is then valid 5 years, not 10.</summary>
    public bool HasHighRiskMaterials { get; init; }

    public DateOnly ValidUntil { get; init; }

    public DateTimeOffset SourceUpdatedAt { get; init; }
}
