using Microsoft.EntityFrameworkCore;
using WoningPas.Data.Dwellings;
using WoningPas.Data.Energy;
using WoningPas.Data.People;
using WoningPas.Domain;

namespace WoningPas.Data.Demo;

/// <summary>A persona to sign in as in Development. Tests and scripts rely on these names and ids.</summary>
public sealed record DemoPersona(string Name, Guid SubjectId, string DisplayName, string Role, string? Organisation);

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

    /// <summary>citizen-a's house in Gent, with an EPC (label E, issued 2019-03-01).</summary>
    public static readonly Guid GentHouseId = Guid.Parse("d1000000-0000-4000-8000-000000000001");

    /// <summary>citizen-a's co-owned apartment in Antwerpen, without an EPC.</summary>
    public static readonly Guid AntwerpenApartmentId = Guid.Parse("d1000000-0000-4000-8000-000000000002");

    /// <summary>citizen-b's house in Leuven.</summary>
    public static readonly Guid LeuvenHouseId = Guid.Parse("d1000000-0000-4000-8000-000000000003");

    public static IReadOnlyList<DemoPersona> Personas { get; } =
    [
        new("citizen-a", CitizenAId, "An Peeters", Roles.Citizen, null),
        new("citizen-b", CitizenBId, "Bram Janssens", Roles.Citizen, null),
        new("staff-energy", StaffEnergyId, "Energie Redacteur", Roles.Editor, Organisations.EnergyAgency),
        new("staff-auditor", StaffAuditorId, "Auditor", Roles.Auditor, Organisations.AccessLogAudit),
    ];

    public static async Task SeedAsync(WoningPasDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (await db.Dwellings.AnyAsync(d => d.Id == GentHouseId, cancellationToken))
        {
            return;
        }

        var citizenA = new Person { Id = CitizenAId, Insz = "85073003328", DisplayName = "An Peeters" };
        var citizenB = new Person { Id = CitizenBId, Insz = "93022800159", DisplayName = "Bram Janssens" };
        var coOwner = new Person
        {
            Id = Guid.Parse("c1000000-0000-4000-8000-000000000005"),
            Insz = "01010112301",
            DisplayName = "Chris Wouters",
        };
        db.People.AddRange(citizenA, citizenB, coOwner);

        var gent = NewDwelling(GentHouseId, "44021A0123/00B000",
            new Address
            {
                Id = Guid.Parse("ad000000-0000-4000-8000-000000000001"),
                RegisterId = "https://data.vlaanderen.be/id/adres/2000001",
                Street = "Kerkstraat", HouseNumber = "12", PostalCode = "9000", Municipality = "Gent", NisCode = "44021",
            });
        var antwerpen = NewDwelling(AntwerpenApartmentId, "11002B0456/00_000",
            new Address
            {
                Id = Guid.Parse("ad000000-0000-4000-8000-000000000002"),
                RegisterId = "https://data.vlaanderen.be/id/adres/2000002",
                Street = "Meir", HouseNumber = "50", BoxNumber = "3", PostalCode = "2000", Municipality = "Antwerpen",
                NisCode = "11002",
            });
        var leuven = NewDwelling(LeuvenHouseId, "24062C0789/02A000",
            new Address
            {
                Id = Guid.Parse("ad000000-0000-4000-8000-000000000003"),
                RegisterId = "https://data.vlaanderen.be/id/adres/2000003",
                Street = "Bondgenotenlaan", HouseNumber = "101", PostalCode = "3000", Municipality = "Leuven",
                NisCode = "24062",
            });
        db.Dwellings.AddRange(gent, antwerpen, leuven);

        db.RealRights.AddRange(
            NewRight(gent, citizenA, RealRightKind.Owner, 1m, new DateOnly(2015, 6, 1)),
            NewRight(antwerpen, citizenA, RealRightKind.CoOwner, 0.5m, new DateOnly(2020, 9, 15)),
            NewRight(antwerpen, coOwner, RealRightKind.CoOwner, 0.5m, new DateOnly(2020, 9, 15)),
            NewRight(leuven, citizenB, RealRightKind.Owner, 1m, new DateOnly(2018, 2, 1)));

        var issuedOn = new DateOnly(2019, 3, 1);
        db.EnergyCertificates.Add(new EnergyCertificate
        {
            Id = Guid.Parse("ec000000-0000-4000-8000-000000000001"),
            DwellingId = gent.Id,
            CertificateNumber = "EPC-2019-0001234",
            PrimaryEnergyUse = 450m,
            Label = EnergyLabels.FromPrimaryEnergyUse(450m),
            IssuedOn = issuedOn,
            ValidUntil = CertificateRules.EpcValidUntil(issuedOn),
        });

        await db.SaveChangesAsync(cancellationToken);
    }

    private static Dwelling NewDwelling(Guid id, string caPaKey, Address address) => new()
    {
        Id = id,
        Address = address,
        Parcel = new Parcel { Id = Guid.CreateVersion7(), CaPaKey = CaPaKey.Parse(caPaKey).Value },
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
