using WoningPas.Api.Registries;
using WoningPas.Data.Sections;
using WoningPas.Domain;
using WoningPas.Integrations.Caching;

namespace WoningPas.Api.Passport;

/// <summary>
/// Turns stored rows into the passport a holder reads, applying the rules of the domain on the given day. Pure: the
/// same rows and day always give the same passport.
/// </summary>
public static class PassportBuilder
{
    /// <summary>The database sections from <paramref name="row"/>; flood and permits from the registries' answers.</summary>
    public static PassportView Build(PassportRow row, DateOnly today, RegistryAnswers registries)
    {
        ArgumentNullException.ThrowIfNull(registries);
        ArgumentNullException.ThrowIfNull(row);
        var caPaKeys = row.Parcels.ToDictionary(p => p.Id, p => p.CaPaKey);
        var address = row.Address;
        return new PassportView(
            row.DwellingId,
            new AddressView(address.Street, address.HouseNumber, address.BoxNumber, address.PostalCode,
                address.Municipality, address.Label),
            new BuildingView(row.ConstructionYear, row.IsResidential, [.. caPaKeys.Values]),
            new PassportSections(
                Epc(row.Epc, today),
                Renovation(row, today),
                Asbestos(row, today),
                Soil(row, caPaKeys),
                Flood(registries),
                Permits(registries),
                Conformity(row.Conformity, today),
                Installations(row.Installations, today),
                Documents(row.Documents)));
    }

    private static EpcSection Epc(EnergyCertificate? epc, DateOnly today) => epc is null
        ? new EpcSection(SectionStatus.Missing, null, null, null, null, null)
        : new EpcSection(CertificateRules.StatusOn(epc.ValidUntil, today),
            Source(SourceAgency.EnergyAgency, epc.SourceReference, epc.SourceUpdatedAt),
            epc.Label.ToDisplay(), epc.PrimaryEnergyUse, epc.IssuedOn, epc.ValidUntil);

    private static RenovationSection Renovation(PassportRow row, DateOnly today)
    {
        var result = RenovationObligation.Evaluate(row.LastDeed?.SignedOn, row.IsResidential, row.LastDeed?.LabelAtDeed,
            row.Epc?.Label, today);
        var status = result.Status switch
        {
            RenovationStatus.NotApplicable => SectionStatus.NotRequired,
            RenovationStatus.Overdue => SectionStatus.Expired,
            _ => SectionStatus.Valid,
        };
        return new RenovationSection(status, result.Status, row.LastDeed?.SignedOn, row.LastDeed?.LabelAtDeed?.ToDisplay(),
            row.Epc?.Label.ToDisplay(), result.Deadline, result.Reason);
    }

    private static AsbestosSection Asbestos(PassportRow row, DateOnly today)
    {
        // An unknown construction year is treated as "before 2001": the certificate may be required, so say so.
        var required = CertificateRules.AsbestosCertificateRequiredAtSale(row.ConstructionYear ?? 2000, today);
        var certificate = row.Asbestos;
        return certificate is null
            ? new AsbestosSection(required ? SectionStatus.Missing : SectionStatus.NotRequired, null, null, null, null, required)
            : new AsbestosSection(CertificateRules.StatusOn(certificate.ValidUntil, today),
                Source(SourceAgency.WasteAgency, certificate.SourceReference, certificate.SourceUpdatedAt),
                certificate.IssuedOn, certificate.ValidUntil, certificate.HasHighRiskMaterials, required);
    }

    private static SoilSection Soil(PassportRow row, Dictionary<Guid, string> caPaKeys)
    {
        var latestPerParcel = row.SoilCertificates
            .GroupBy(c => c.ParcelId)
            .Select(parcel => parcel.MaxBy(c => c.IssuedOn)!)
            .OrderBy(c => caPaKeys[c.ParcelId], StringComparer.Ordinal)
            .Select(c => new SoilCertificateView(caPaKeys[c.ParcelId],
                Source(SourceAgency.WasteAgency, c.SourceReference, c.SourceUpdatedAt), c.IssuedOn,
                c.InLandInformationRegister))
            .ToList();
        // A soil certificate is needed for every parcel at a sale: one parcel without is a missing certificate.
        return new SoilSection(latestPerParcel.Count == caPaKeys.Count ? SectionStatus.Valid : SectionStatus.Missing,
            latestPerParcel);
    }

    private static FloodSection Flood(RegistryAnswers registries)
    {
        var reads = registries.Flood;
        var scores = reads
            .Where(r => r.Read.Value is not null)
            .Select(r => r.Read.Value!)
            .Select(f => new FloodScoreView(f.CapaKey, f.ParcelScore, f.BuildingScore,
                Source(SourceAgency.EnvironmentDepartment, f.Reference, f.UpdatedAt)))
            .ToList();
        var status = AnyUnavailable(reads) ? SectionStatus.Unavailable
            : scores.Count == reads.Count ? SectionStatus.Valid : SectionStatus.Missing;
        return new FloodSection(status, scores, SectionFreshness(reads));
    }

    private static PermitsSection Permits(RegistryAnswers registries)
    {
        var reads = registries.Permits;
        var permits = reads
            .Where(r => r.Read.Value is not null)
            .SelectMany(r => r.Read.Value!.Permits.Select(p => new PermitView(r.CapaKey,
                Source(SourceAgency.Municipality, p.Reference, p.UpdatedAt),
                Enum.Parse<PermitKind>(p.Kind, ignoreCase: true), p.Description, p.SubmittedOn, p.DecidedOn,
                Enum.Parse<PermitDecision>(p.Decision, ignoreCase: true))))
            .OrderByDescending(p => p.SubmittedOn)
            .ToList();
        var status = AnyUnavailable(reads) ? SectionStatus.Unavailable
            : permits.Count > 0 ? SectionStatus.Valid : SectionStatus.NotRequired;
        return new PermitsSection(status, permits, SectionFreshness(reads));
    }

    private static bool AnyUnavailable<T>(IReadOnlyList<ParcelRead<T>> reads) =>
        reads.Any(r => r.Read.Freshness == Freshness.Unavailable);

    /// <summary>The least current parcel speaks for the section: unavailable over stale over fresh, the oldest age.</summary>
    private static RegistryFreshnessView SectionFreshness<T>(IReadOnlyList<ParcelRead<T>> reads)
    {
        if (reads.Count == 0)
        {
            return new RegistryFreshnessView(Freshness.Fresh, null, null);
        }

        var worst = reads.Max(r => r.Read.Freshness);
        var oldest = reads.Where(r => r.Read.RetrievedAt is not null).MinBy(r => r.Read.RetrievedAt)?.Read;
        return new RegistryFreshnessView(worst, oldest?.RetrievedAt,
            oldest?.Age is { } age ? (long)Math.Floor(age.TotalSeconds) : null);
    }

    private static ConformitySection Conformity(ConformityCertificate? certificate, DateOnly today) =>
        certificate is null
            ? new ConformitySection(SectionStatus.NotRequired, null, null, null, null)
            : new ConformitySection(CertificateRules.StatusOn(certificate.ValidUntil, today),
                Source(SourceAgency.HousingAgency, certificate.SourceReference, certificate.SourceUpdatedAt),
                certificate.IssuedOn, certificate.ValidUntil, certificate.AfterInvestigationWithDefects);

    private static InstallationsSection Installations(List<Installation> installations, DateOnly today)
    {
        var views = installations
            .Select(i => new InstallationView(i.Kind, i.Description, Source(i.Source, i.SourceReference, i.SourceUpdatedAt),
                i.InstalledOn, i.LastInspectedOn, i.NextInspectionDue,
                CertificateRules.StatusOn(i.NextInspectionDue, today, required: false)))
            .ToList();
        return new InstallationsSection(Worst(views.Select(v => v.Status)), views);
    }

    private static DocumentsSection Documents(List<OwnerDocument> documents) =>
        new(documents.Count > 0 ? SectionStatus.Valid : SectionStatus.NotRequired,
            [.. documents.Select(d => new DocumentView(d.Id, d.Title, d.FileName, d.ContentType, d.SizeBytes, d.UploadedAt,
                d.Section, d.Organisation))]);

    /// <summary>A section made of several items is as urgent as its most urgent item.</summary>
    private static SectionStatus Worst(IEnumerable<SectionStatus> statuses) =>
        statuses.DefaultIfEmpty(SectionStatus.NotRequired).MinBy(Urgency);

    private static int Urgency(SectionStatus status) => status switch
    {
        SectionStatus.Expired => 0,
        SectionStatus.Expiring => 1,
        SectionStatus.Missing => 2,
        SectionStatus.Valid => 3,
        _ => 4,
    };

    private static SourceView Source(SourceAgency agency, string reference, DateTimeOffset updatedAt) =>
        new(agency, reference, updatedAt);
}
