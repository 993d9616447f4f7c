using Microsoft.EntityFrameworkCore;
using WoningPas.Data.Dwellings;
using WoningPas.Data.Encryption;
using WoningPas.Data.People;
using WoningPas.Data.Sections;
using WoningPas.Data.Sharing;
using WoningPas.Domain;

namespace WoningPas.Data.Demo;

/// <summary>
/// A persona to sign in as in Development. Tests and scripts rely on these names and ids. A citizen persona carries
/// an INSZ: the dev sign-in finds the person by it, as the real sign-in does. A persona with an e-mail address signs in
/// with it verified, so that what was shared with that address opens.
/// </summary>
public sealed record DemoPersona(string Name, Guid SubjectId, string DisplayName, string Role, string? Organisation,
    string? Insz = null, string? Email = null);

/// <summary>
/// The fixed demo data behind the dev personas: a few dwellings in Flanders, their holders and one EPC. Seeding is
/// idempotent, so every start of the local run and every test database can call it.
/// </summary>
public static class DemoData
{
    public static readonly Guid CitizenAId = Guid.Parse("a1000000-0000-4000-8000-000000000001");
    public static readonly Guid CitizenBId = Guid.Parse("b1000000-0000-4000-8000-000000000002");
    public static readonly Guid StaffEnergyId = Guid.Parse("e1000000-0000-4000-8000-000000000003");
    public static readonly Guid StaffAuditorId = Guid.Parse("f1000000-0000-4000-8000-000000000004");
    public static readonly Guid NotaryId = Guid.Parse("a2000000-0000-4000-8000-000000000006");
    public static readonly Guid StaffWasteId = Guid.Parse("e2000000-0000-4000-8000-000000000007");

    /// <summary>A second energy-agency editor, so that two colleagues can edit the same EPC.</summary>
    public static readonly Guid StaffEnergyColleagueId = Guid.Parse("e1000000-0000-4000-8000-000000000008");

    /// <summary>An editor of the housing agency, which owns the conformity certificates.</summary>
    public static readonly Guid StaffHousingId = Guid.Parse("e3000000-0000-4000-8000-000000000009");

    /// <summary>The notary's verified e-mail address, with which citizen-a shares part of the Gent passport.</summary>
    public const string NotaryEmail = "nora.claes@notaris.example";

    /// <summary>
    /// Demo national register numbers have a birth date in the 2090s (the check digits of people born from 2000):
    /// the register cannot have issued them to anyone alive. The notary signs in as a citizen, as third parties do.
    /// </summary>
    public const string NotaryInsz = "92031500473";

    /// <summary>citizen-a shares the EPC and asbestos sections of the Gent house with the notary until 2027-06-30.</summary>
    public static readonly Guid NotaryShareId = Guid.Parse("5a000000-0000-4000-8000-000000000001");

    /// <summary>citizen-a's house in Gent, with an EPC (label E, issued 2019-03-01).</summary>
    public static readonly Guid GentHouseId = Guid.Parse("d1000000-0000-4000-8000-000000000001");

    /// <summary>citizen-a's co-owned apartment in Antwerpen, without an EPC.</summary>
    public static readonly Guid AntwerpenApartmentId = Guid.Parse("d1000000-0000-4000-8000-000000000002");

    /// <summary>citizen-b's house in Leuven.</summary>
    public static readonly Guid LeuvenHouseId = Guid.Parse("d1000000-0000-4000-8000-000000000003");

    public static IReadOnlyList<DemoPersona> Personas { get; } =
    [
        new("citizen-a", CitizenAId, "An Peeters", Roles.Citizen, null, "90073000296"),
        new("citizen-b", CitizenBId, "Bram Janssens", Roles.Citizen, null, "93022800188"),
        new("staff-energy", StaffEnergyId, "Energie Redacteur", Roles.Editor, Organisations.EnergyAgency),
        new("staff-auditor", StaffAuditorId, "Auditor", Roles.Auditor, Organisations.AccessLogAudit),
        new("notary", NotaryId, "Nora Claes", Roles.Citizen, null, NotaryInsz, NotaryEmail),
        new("staff-waste", StaffWasteId, "Afval Redacteur", Roles.Editor, Organisations.WasteAgency),
        new("staff-energy-2", StaffEnergyColleagueId, "Energie Collega", Roles.Editor, Organisations.EnergyAgency),
        new("staff-housing", StaffHousingId, "Wonen Redacteur", Roles.Editor, Organisations.HousingAgency),
    ];

    public static async Task SeedAsync(WoningPasDbContext db, KeyRing ring, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (await db.Dwellings.AnyAsync(d => d.Id == GentHouseId, cancellationToken))
        {
            return;
        }

        var citizenA = PersonFields.Create(ring, CitizenAId, Insz.Parse("90073000296"), "An Peeters");
        var citizenB = PersonFields.Create(ring, CitizenBId, Insz.Parse("93022800188"), "Bram Janssens");
        var coOwner = PersonFields.Create(ring, Guid.Parse("c1000000-0000-4000-8000-000000000005"),
            Insz.Parse("91010100569"), "Chris Wouters");
        var notary = PersonFields.Create(ring, NotaryId, Insz.Parse(NotaryInsz), "Nora Claes");
        db.People.AddRange(citizenA, citizenB, coOwner, notary);

        var gentParcel = NewParcel("44021A0123/00B000");
        var gent = NewDwelling(GentHouseId, NewBuilding(1968, gentParcel),
            new Address
            {
                Id = Guid.Parse("ad000000-0000-4000-8000-000000000001"),
                RegisterId = "https://data.vlaanderen.be/id/adres/2000001",
                Street = "Kerkstraat", HouseNumber = "12", PostalCode = "9000", Municipality = "Gent", NisCode = "44021",
            });
        var antwerpenParcel = NewParcel("11002B0456/00_000");
        var antwerpen = NewDwelling(AntwerpenApartmentId, NewBuilding(1995, antwerpenParcel),
            new Address
            {
                Id = Guid.Parse("ad000000-0000-4000-8000-000000000002"),
                RegisterId = "https://data.vlaanderen.be/id/adres/2000002",
                Street = "Meir", HouseNumber = "50", BoxNumber = "3", PostalCode = "2000", Municipality = "Antwerpen",
                NisCode = "11002",
            });
        var leuvenParcel = NewParcel("24062C0789/02A000");
        var leuven = NewDwelling(LeuvenHouseId, NewBuilding(2005, leuvenParcel),
            new Address
            {
                Id = Guid.Parse("ad000000-0000-4000-8000-000000000003"),
                RegisterId = "https://data.vlaanderen.be/id/adres/2000003",
                Street = "Bondgenotenlaan", HouseNumber = "101", PostalCode = "3000", Municipality = "Leuven",
                NisCode = "24062",
            });
        db.Dwellings.AddRange(gent, antwerpen, leuven);

        db.RealRights.AddRange(
            NewRight(gent, citizenA, RealRightKind.Owner, 1m, new DateOnly(2023, 6, 15)),
            NewRight(antwerpen, citizenA, RealRightKind.CoOwner, 0.5m, new DateOnly(2020, 9, 15)),
            NewRight(antwerpen, coOwner, RealRightKind.CoOwner, 0.5m, new DateOnly(2020, 9, 15)),
            NewRight(leuven, citizenB, RealRightKind.Owner, 1m, new DateOnly(2018, 2, 1)));

        // Gent: bought in 2023 with label E, so the renovation obligation runs; every section has data.
        db.EnergyCertificates.Add(NewEpc(gent, "EPC-2019-0001234", 450m, new DateOnly(2019, 3, 1)));
        db.Deeds.Add(new Deed
        {
            Id = Guid.CreateVersion7(), DwellingId = gent.Id, SourceReference = "AKTE-2023-44021-0815",
            SignedOn = new DateOnly(2023, 6, 15), LabelAtDeed = EnergyLabel.E, SourceUpdatedAt = Updated,
        });
        db.AsbestosCertificates.Add(new AsbestosCertificate
        {
            Id = Guid.CreateVersion7(), DwellingId = gent.Id, SourceReference = "ASB-2023-000451",
            IssuedOn = new DateOnly(2023, 5, 2), HasHighRiskMaterials = true,
            ValidUntil = CertificateRules.AsbestosValidUntil(new DateOnly(2023, 5, 2), true), SourceUpdatedAt = Updated,
        });
        db.SoilCertificates.Add(new SoilCertificate
        {
            Id = Guid.CreateVersion7(), ParcelId = gentParcel.Id, SourceReference = "BA-2023-118822",
            IssuedOn = new DateOnly(2023, 4, 20), InLandInformationRegister = false, SourceUpdatedAt = Updated,
        });
        db.FloodScores.AddRange(
            new FloodScore { ParcelId = gentParcel.Id, ParcelScore = FloodRisk.B, BuildingScore = FloodRisk.A, SourceReference = "OVERSTROMING-2024", SourceUpdatedAt = Updated },
            new FloodScore { ParcelId = antwerpenParcel.Id, ParcelScore = FloodRisk.A, BuildingScore = FloodRisk.A, SourceReference = "OVERSTROMING-2024", SourceUpdatedAt = Updated },
            new FloodScore { ParcelId = leuvenParcel.Id, ParcelScore = FloodRisk.D, BuildingScore = FloodRisk.C, SourceReference = "OVERSTROMING-2024", SourceUpdatedAt = Updated });
        db.Permits.Add(new Permit
        {
            Id = Guid.CreateVersion7(), ParcelId = gentParcel.Id, SourceReference = "OMV_2024031177", Kind = PermitKind.Building,
            Description = "Plaatsen van een warmtepomp en isoleren van het dak", SubmittedOn = new DateOnly(2024, 2, 12),
            DecidedOn = new DateOnly(2024, 4, 3), Decision = PermitDecision.Granted, SourceUpdatedAt = Updated,
        });
        db.Installations.AddRange(
            new Installation
            {
                Id = Guid.CreateVersion7(), DwellingId = gent.Id, Kind = InstallationKind.HeatPump,
                Description = "Lucht-water warmtepomp 8 kW", Source = SourceAgency.EnergyAgency, SourceReference = "INST-2024-77120",
                InstalledOn = new DateOnly(2024, 9, 1), SourceUpdatedAt = Updated,
            },
            new Installation
            {
                Id = Guid.CreateVersion7(), DwellingId = gent.Id, Kind = InstallationKind.ElectricalInspection,
                Description = "Keuring elektrische installatie (AREI), niet-conform bij verkoop", Source = SourceAgency.Owner,
                SourceReference = "KEURING-2023-5521", LastInspectedOn = new DateOnly(2023, 5, 20),
                NextInspectionDue = new DateOnly(2024, 12, 20), SourceUpdatedAt = Updated,
            });
        db.OwnerDocuments.Add(new OwnerDocument
        {
            Id = Guid.CreateVersion7(), DwellingId = gent.Id, FileName = "factuur-dakisolatie.pdf",
            ContentType = "application/pdf", SizeBytes = 184_220, Title = "Factuur dakisolatie",
            UploadedBy = CitizenAId, UploadedAt = Updated,
        });

        // Antwerpen: no EPC, a conformity certificate that expired (5 years after a quality investigation).
        db.ConformityCertificates.Add(new ConformityCertificate
        {
            Id = Guid.CreateVersion7(), DwellingId = antwerpen.Id, SourceReference = "CA-2017-11002-0093",
            IssuedOn = new DateOnly(2017, 1, 10), AfterInvestigationWithDefects = true,
            ValidUntil = CertificateRules.ConformityValidUntil(new DateOnly(2017, 1, 10), true), SourceUpdatedAt = Updated,
        });

        var (notaryEmail, notaryIndex) = ring.Recipient(NotaryShareId, NotaryEmail);
        db.DwellingShares.Add(new DwellingShare
        {
            Id = NotaryShareId, DwellingId = gent.Id, CreatedBy = CitizenAId, CreatedAt = Updated,
            Sections = ["epc", "asbestos"], EncryptedRecipientEmail = notaryEmail, RecipientEmailIndex = notaryIndex,
            ExpiresOn = new DateOnly(2027, 6, 30),
        });

        // Leuven: an EPC that expires on 2026-12-20, so its holder gets reminders.
        db.EnergyCertificates.Add(NewEpc(leuven, "EPC-2016-0098765", 180m, new DateOnly(2016, 12, 20)));

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>When the agencies last updated the demo dossiers.</summary>
    private static readonly DateTimeOffset Updated = new(2025, 1, 15, 9, 0, 0, TimeSpan.Zero);

    private static Parcel NewParcel(string caPaKey) =>
        new() { Id = Guid.CreateVersion7(), CaPaKey = CaPaKey.Parse(caPaKey).Value };

    private static Building NewBuilding(int constructionYear, Parcel parcel) =>
        new() { Id = Guid.CreateVersion7(), ConstructionYear = constructionYear, IsResidential = true, Parcels = [parcel] };

    private static Dwelling NewDwelling(Guid id, Building building, Address address) =>
        new() { Id = id, Address = address, Building = building };

    private static EnergyCertificate NewEpc(Dwelling dwelling, string reference, decimal primaryEnergyUse, DateOnly issuedOn) =>
        new()
        {
            Id = Guid.CreateVersion7(),
            DwellingId = dwelling.Id,
            SourceReference = reference,
            PrimaryEnergyUse = primaryEnergyUse,
            Label = EnergyLabels.FromPrimaryEnergyUse(primaryEnergyUse),
            IssuedOn = issuedOn,
            ValidUntil = CertificateRules.EpcValidUntil(issuedOn),
            SourceUpdatedAt = Updated,
        };

    private static RealRight NewRight(Dwelling dwelling, Person holder, RealRightKind kind, decimal share, DateOnly from) =>
        new()
        {
            Id = Guid.CreateVersion7(),
            DwellingId = dwelling.Id,
            HolderId = holder.Id,
            Kind = kind,
            Share = share,
            ValidFrom = from,
        };
}
