using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WoningPas.Api.Dwellings;
using WoningPas.Api.Passport;
using WoningPas.Data;
using WoningPas.Data.Demo;
using WoningPas.Data.Dwellings;
using WoningPas.Data.Sections;
using WoningPas.Domain;
using WoningPas.Testing;

namespace WoningPas.Api.Tests;

/// <summary>
/// <see cref="PassportReader"/> reads with hand-written statements for speed. These tests hold it to the passport as
/// the entity model defines it: the same query written in LINQ, which EF Core translates from the model itself, must
/// give the same row, field for field, in the same order, for every dwelling of the demo and for one that has several
/// of everything.
/// </summary>
public sealed class PassportReaderTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_demo_dwelling_reads_as_the_entity_model_defines_it()
    {
        await using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(api.ConnectionString));
        var dwellings = await db.Dwellings.Select(d => d.Id).ToListAsync(Cancel);

        Assert.Contains(DemoData.GentHouseId, dwellings);
        foreach (var id in dwellings)
        {
            await AssertReadsAsModelledAsync(db, id);
        }
    }

    [Fact]
    public async Task A_dwelling_with_several_of_everything_reads_as_the_entity_model_defines_it()
    {
        await using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(api.ConnectionString));
        await using var transaction = await db.Database.BeginTransactionAsync(Cancel);
        var id = await AddDwellingWithSeveralOfEverythingAsync(db);

        var row = await PassportReader.ReadAsync(db, id, Cancel);

        Assert.NotNull(row);
        Assert.Equal(2, row.Parcels.Count);
        Assert.Equal(["24062C0790/02A000", "24062C0791/00B000"], row.Parcels.Select(p => p.CaPaKey));
        Assert.Equal("EPC-NEW", row.Epc?.SourceReference);
        Assert.Equal(EnergyLabel.APlus, row.Epc?.Label);
        Assert.Null(row.LastDeed?.LabelAtDeed);
        Assert.Equal(2, row.SoilCertificates.Count);
        Assert.Equal(2, row.FloodScores.Count);
        Assert.Equal(4, row.Permits.Count);
        Assert.Equal(3, row.Installations.Count);
        Assert.Equal(2, row.Documents.Count);
        Assert.Equal(2, row.Holders.Count);
        await AssertReadsAsModelledAsync(db, id);
    }

    [Fact]
    public async Task An_unknown_dwelling_reads_as_nothing()
    {
        await using var db = new WoningPasDbContext(DatabaseRegistration.CreateOptions(api.ConnectionString));

        Assert.Null(await PassportReader.ReadAsync(db, Guid.NewGuid(), Cancel));
    }

    private static async Task AssertReadsAsModelledAsync(WoningPasDbContext db, Guid id)
    {
        var modelled = await ModelledAsync(db, id);
        var read = await PassportReader.ReadAsync(db, id, Cancel);

        Assert.NotNull(modelled);
        Assert.NotNull(read);
        Assert.Equal(Json(modelled), Json(read));
    }

    /// <summary>The row as JSON, field by field; the order of the rights means nothing, so it is set here.</summary>
    private static string Json(PassportRow row) =>
        JsonSerializer.Serialize(row with { Holders = [.. row.Holders.OrderBy(h => h.HolderId).ThenBy(h => h.ValidFrom)] });

    /// <summary>The passport in LINQ: what PassportReader's statements must return.</summary>
    private static Task<PassportRow?> ModelledAsync(WoningPasDbContext db, Guid dwellingId) =>
        db.Dwellings.AsNoTracking()
            .Where(d => d.Id == dwellingId)
            .Select(d => new PassportRow(
                d.Id,
                d.Address,
                d.Building.ConstructionYear,
                d.Building.IsResidential,
                d.Building.Parcels.OrderBy(p => p.CaPaKey).Select(p => new ParcelRow(p.Id, p.CaPaKey)).ToList(),
                db.EnergyCertificates.Where(c => c.DwellingId == dwellingId).OrderByDescending(c => c.IssuedOn).FirstOrDefault(),
                db.Deeds.Where(x => x.DwellingId == dwellingId).OrderByDescending(x => x.SignedOn).FirstOrDefault(),
                db.AsbestosCertificates.Where(c => c.DwellingId == dwellingId).OrderByDescending(c => c.IssuedOn).FirstOrDefault(),
                db.ConformityCertificates.Where(c => c.DwellingId == dwellingId).OrderByDescending(c => c.IssuedOn).FirstOrDefault(),
                d.Building.Parcels.SelectMany(p => db.SoilCertificates.Where(s => s.ParcelId == p.Id))
                    .OrderBy(s => s.ParcelId).ThenBy(s => s.Id).ToList(),
                d.Building.Parcels.SelectMany(p => db.FloodScores.Where(f => f.ParcelId == p.Id)).OrderBy(f => f.ParcelId).ToList(),
                d.Building.Parcels.SelectMany(p => db.Permits.Where(x => x.ParcelId == p.Id))
                    .OrderByDescending(x => x.SubmittedOn).ThenBy(x => x.ParcelId).ThenBy(x => x.Id).ToList(),
                db.Installations.Where(i => i.DwellingId == dwellingId).OrderBy(i => i.Kind).ThenBy(i => i.Id).ToList(),
                db.OwnerDocuments.Where(o => o.DwellingId == dwellingId).OrderByDescending(o => o.UploadedAt).ThenBy(o => o.Id).ToList(),
                db.RealRights.Where(r => r.DwellingId == dwellingId)
                    .Select(r => new HolderRight(r.HolderId, r.ValidFrom, r.ValidUntil)).ToList()))
            .AsSplitQuery()
            .SingleOrDefaultAsync(Cancel);

    private static async Task<Guid> AddDwellingWithSeveralOfEverythingAsync(WoningPasDbContext db)
    {
        var updated = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);
        Parcel[] parcels =
        [
            new() { Id = Guid.CreateVersion7(), CaPaKey = "24062C0791/00B000" },
            new() { Id = Guid.CreateVersion7(), CaPaKey = "24062C0790/02A000" },
        ];
        var dwelling = new Dwelling
        {
            Id = Guid.CreateVersion7(),
            Address = new Address
            {
                Id = Guid.CreateVersion7(), RegisterId = "https://data.vlaanderen.be/id/adres/9990001", Street = "Naamsestraat",
                HouseNumber = "12", BoxNumber = "3", PostalCode = "3000", Municipality = "Leuven", NisCode = "24062",
            },
            Building = new Building { Id = Guid.CreateVersion7(), ConstructionYear = null, IsResidential = false, Parcels = [.. parcels] },
        };
        db.Dwellings.Add(dwelling);
        db.RealRights.AddRange(
            new RealRight
            {
                Id = Guid.CreateVersion7(), DwellingId = dwelling.Id, HolderId = DemoData.CitizenBId, Kind = RealRightKind.Usufruct,
                Share = 1m, ValidFrom = new DateOnly(2020, 1, 1),
            },
            new RealRight
            {
                Id = Guid.CreateVersion7(), DwellingId = dwelling.Id, HolderId = DemoData.CitizenAId, Kind = RealRightKind.Owner,
                Share = 1m, ValidFrom = new DateOnly(2010, 1, 1), ValidUntil = new DateOnly(2019, 12, 31),
            });
        db.EnergyCertificates.AddRange(
            Epc("EPC-OLD", 420m, EnergyLabel.E, new DateOnly(2015, 1, 1)),
            Epc("EPC-NEW", 0m, EnergyLabel.APlus, new DateOnly(2024, 6, 1)));
        db.Deeds.AddRange(
            new Deed { Id = Guid.CreateVersion7(), DwellingId = dwelling.Id, SourceReference = "AKTE-OLD", SignedOn = new DateOnly(2010, 1, 1), LabelAtDeed = EnergyLabel.F, SourceUpdatedAt = updated },
            new Deed { Id = Guid.CreateVersion7(), DwellingId = dwelling.Id, SourceReference = "AKTE-NEW", SignedOn = new DateOnly(2020, 1, 1), SourceUpdatedAt = updated });
        db.AsbestosCertificates.Add(new AsbestosCertificate
        {
            Id = Guid.CreateVersion7(), DwellingId = dwelling.Id, SourceReference = "ASB-1", IssuedOn = new DateOnly(2022, 2, 2),
            HasHighRiskMaterials = false, ValidUntil = new DateOnly(2032, 2, 2), SourceUpdatedAt = updated,
        });
        db.ConformityCertificates.Add(new ConformityCertificate
        {
            Id = Guid.CreateVersion7(), DwellingId = dwelling.Id, SourceReference = "CA-1", IssuedOn = new DateOnly(2021, 3, 3),
            AfterInvestigationWithDefects = false, ValidUntil = new DateOnly(2031, 3, 3), SourceUpdatedAt = updated,
        });
        foreach (var parcel in parcels)
        {
            db.SoilCertificates.Add(new SoilCertificate
            {
                Id = Guid.CreateVersion7(), ParcelId = parcel.Id, SourceReference = "BA-" + parcel.CaPaKey, IssuedOn = new DateOnly(2023, 1, 1),
                InLandInformationRegister = parcel == parcels[0], SourceUpdatedAt = updated,
            });
            db.FloodScores.Add(new FloodScore
            {
                ParcelId = parcel.Id, ParcelScore = FloodRisk.C, BuildingScore = parcel == parcels[0] ? null : FloodRisk.D,
                SourceReference = "OVERSTROMING-" + parcel.CaPaKey, SourceUpdatedAt = updated,
            });
        }

        // Two permits submitted on the same day on each parcel, the later parcel's first: ordered by when they were
        // added, they would not be in the passport's order.
        foreach (var parcel in parcels.Reverse())
        {
            db.Permits.AddRange(
                Permit(parcel, PermitKind.Building, new DateOnly(2024, 5, 5), PermitDecision.Pending, null),
                Permit(parcel, PermitKind.Environment, new DateOnly(2024, 5, 5), PermitDecision.Refused, new DateOnly(2024, 8, 8)));
        }

        db.Installations.AddRange(
            Installation(InstallationKind.Heating, SourceAgency.Owner, null),
            Installation(InstallationKind.Heating, SourceAgency.EnergyAgency, new DateOnly(2025, 1, 1)),
            Installation(InstallationKind.SolarPanels, SourceAgency.Owner, new DateOnly(2023, 7, 7)));
        db.OwnerDocuments.AddRange(
            new OwnerDocument
            {
                Id = Guid.CreateVersion7(), DwellingId = dwelling.Id, FileName = "a.pdf", ContentType = "application/pdf",
                SizeBytes = 1234, Title = "A", UploadedBy = DemoData.CitizenBId, UploadedAt = updated,
            },
            new OwnerDocument
            {
                Id = Guid.CreateVersion7(), DwellingId = dwelling.Id, FileName = "b.png", ContentType = "image/png", SizeBytes = 99,
                Title = "B", UploadedBy = DemoData.StaffEnergyId, Section = "epc", Organisation = "VEKA", UploadedAt = updated,
            });
        await db.SaveChangesAsync(Cancel);
        return dwelling.Id;

        EnergyCertificate Epc(string reference, decimal use, EnergyLabel label, DateOnly issuedOn) => new()
        {
            Id = Guid.CreateVersion7(), DwellingId = dwelling.Id, SourceReference = reference, PrimaryEnergyUse = use, Label = label,
            IssuedOn = issuedOn, ValidUntil = issuedOn.AddYears(10), SourceUpdatedAt = updated,
        };

        Permit Permit(Parcel parcel, PermitKind kind, DateOnly submittedOn, PermitDecision decision, DateOnly? decidedOn) => new()
        {
            Id = Guid.CreateVersion7(), ParcelId = parcel.Id, SourceReference = $"OMV-{kind}-{parcel.CaPaKey}", Kind = kind,
            Description = "Werken", SubmittedOn = submittedOn, DecidedOn = decidedOn, Decision = decision, SourceUpdatedAt = updated,
        };

        Installation Installation(InstallationKind kind, SourceAgency source, DateOnly? installedOn) => new()
        {
            Id = Guid.CreateVersion7(), DwellingId = dwelling.Id, Kind = kind, Description = $"{kind} ({source})", Source = source,
            SourceReference = $"INST-{kind}-{source}", InstalledOn = installedOn, LastInspectedOn = installedOn,
            NextInspectionDue = installedOn?.AddYears(5), SourceUpdatedAt = updated,
        };
    }
}
