using System.Text.Json.Serialization;
using WoningPas.Data.Sections;
using WoningPas.Domain;
using WoningPas.Integrations.Caching;

namespace WoningPas.Api.Passport;

/// <summary>
/// The passport as the holder sees it. Every section carries a status (valid, expiring, expired, missing,
/// notRequired) and, where it has data, the source agency, the agency's reference and when the agency last changed it.
/// </summary>
public sealed record PassportView(
    Guid DwellingId,
    AddressView Address,
    BuildingView Building,
    PassportSections Sections);

/// <summary>
/// The passport as someone other than a holder sees it: the same shape, with only the sections granted to them.
/// </summary>
public sealed record PartialPassportView(
    Guid DwellingId,
    AddressView Address,
    BuildingView Building,
    IReadOnlyDictionary<string, object> Sections);

public sealed record AddressView(string Street, string HouseNumber, string? BoxNumber, string PostalCode,
    string Municipality, string Label);

public sealed record BuildingView(int? ConstructionYear, bool IsResidential,
    [property: JsonPropertyName("capaKeys")] IReadOnlyList<string> CaPaKeys);

public sealed record PassportSections(
    EpcSection Epc,
    RenovationSection Renovation,
    AsbestosSection Asbestos,
    SoilSection Soil,
    FloodSection Flood,
    PermitsSection Permits,
    ConformitySection Conformity,
    InstallationsSection Installations,
    DocumentsSection Documents);

public sealed record SourceView(SourceAgency Agency, string Reference, DateTimeOffset UpdatedAt);

public sealed record EpcSection(SectionStatus Status, SourceView? Source, string? Label, decimal? PrimaryEnergyUse,
    DateOnly? IssuedOn, DateOnly? ValidUntil);

/// <summary>
/// Derived, not stored: from the last deed, the label at the deed and the current label. <c>Status</c> maps the
/// obligation onto the common statuses (not applicable = notRequired, met or running = valid, overdue = expired);
/// <c>Obligation</c> says which.
/// </summary>
public sealed record RenovationSection(SectionStatus Status, RenovationStatus Obligation, DateOnly? DeedSignedOn,
    string? LabelAtDeed, string? CurrentLabel, DateOnly? Deadline, string Reason);

public sealed record AsbestosSection(SectionStatus Status, SourceView? Source, DateOnly? IssuedOn, DateOnly? ValidUntil,
    bool? HasHighRiskMaterials, bool RequiredAtSale);

public sealed record SoilSection(SectionStatus Status, IReadOnlyList<SoilCertificateView> Certificates);

public sealed record SoilCertificateView([property: JsonPropertyName("capaKey")] string CaPaKey, SourceView Source,
    DateOnly IssuedOn, bool InLandInformationRegister);

/// <summary>Fetched from the environment department's registry per parcel (pull model); see <see cref="RegistryFreshnessView"/>.</summary>
public sealed record FloodSection(SectionStatus Status, IReadOnlyList<FloodScoreView> Scores, RegistryFreshnessView Freshness);

/// <summary>Scores as the letters A–D, exactly as the environment department publishes them.</summary>
public sealed record FloodScoreView([property: JsonPropertyName("capaKey")] string CaPaKey, string ParcelScore,
    string? BuildingScore, SourceView Source);

/// <summary>Fetched from the permit register per parcel (pull model); see <see cref="RegistryFreshnessView"/>.</summary>
public sealed record PermitsSection(SectionStatus Status, IReadOnlyList<PermitView> Permits, RegistryFreshnessView Freshness);

/// <summary>
/// How current a section that lives at a registry is: <c>fresh</c> (within the registry's TTL), <c>stale</c> (the
/// registry failed; the last good answer, <c>ageSeconds</c> old) or <c>unavailable</c> (the registry failed and
/// nothing was cached). Over several parcels, the least current one counts.
/// </summary>
public sealed record RegistryFreshnessView(Freshness State, DateTimeOffset? RetrievedAt, long? AgeSeconds);

public sealed record PermitView([property: JsonPropertyName("capaKey")] string CaPaKey, SourceView Source,
    PermitKind Kind, string Description, DateOnly SubmittedOn, DateOnly? DecidedOn, PermitDecision Decision);

public sealed record ConformitySection(SectionStatus Status, SourceView? Source, DateOnly? IssuedOn, DateOnly? ValidUntil,
    bool? AfterInvestigationWithDefects);

public sealed record InstallationsSection(SectionStatus Status, IReadOnlyList<InstallationView> Installations);

public sealed record InstallationView(InstallationKind Kind, string Description, SourceView Source, DateOnly? InstalledOn,
    DateOnly? LastInspectedOn, DateOnly? NextInspectionDue, SectionStatus Status);

public sealed record DocumentsSection(SectionStatus Status, IReadOnlyList<DocumentView> Documents);

/// <summary>
/// A document on the passport. <see cref="Section"/> and <see cref="Organisation"/> are set when agency staff attached it
/// to a section (a certificate PDF), null for the holders' own documents.
/// </summary>
public sealed record DocumentView(Guid Id, string Title, string FileName, string ContentType, long SizeBytes,
    DateTimeOffset UploadedAt, string? Section = null, string? Organisation = null);
