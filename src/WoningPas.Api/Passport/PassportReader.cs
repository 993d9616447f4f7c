using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using WoningPas.Api.Dwellings;
using WoningPas.Data;
using WoningPas.Data.Dwellings;
using WoningPas.Data.Sections;

namespace WoningPas.Api.Passport;

/// <summary>
/// Everything a passport read needs of one dwelling, as stored, read in one query: its sections, and who holds a real
/// right on it (past and future rights too: which of them count is decided on the day of the read).
/// </summary>
public sealed record PassportRow(
    Guid DwellingId,
    Address Address,
    int? ConstructionYear,
    bool IsResidential,
    List<ParcelRow> Parcels,
    EnergyCertificate? Epc,
    Deed? LastDeed,
    AsbestosCertificate? Asbestos,
    ConformityCertificate? Conformity,
    List<SoilCertificate> SoilCertificates,
    List<FloodScore> FloodScores,
    List<Permit> Permits,
    List<Installation> Installations,
    List<OwnerDocument> Documents,
    List<HolderRight> Holders)
{
    /// <summary><see cref="DwellingAccess"/>'s rule, on the rights read with the passport.</summary>
    public bool IsHeldBy(Guid holderId, DateOnly today) => Holders.Any(right => right.GivesAccess(holderId, today));
}

public sealed record ParcelRow(Guid Id, string CaPaKey);

public static class PassportReader
{
    /// <summary>
    /// The passport of a dwelling, or null when there is no such dwelling. Reading it decides nothing: the caller
    /// authorises with <see cref="PassportRow.IsHeldBy"/> or <see cref="DwellingAuthorizer"/> before anything of it
    /// leaves. One round trip: each section is a subquery of the same statement.
    /// </summary>
    public static Task<PassportRow?> ReadAsync(WoningPasDbContext db, Guid dwellingId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return Compiled.GetValue(db.Model, _ => Compile())(db, dwellingId, cancellationToken);
    }

    /// <summary>
    /// The statement compiled once per model (a process has one; a test run has one per host): EF Core would otherwise
    /// hash and compare this expression tree of a dozen subqueries on every read to find its cached plan, which cost
    /// a quarter of a read's CPU (measured with `./build.sh bench data`: 1.5 against 2.05 CPU ms per read).
    /// </summary>
    private static readonly ConditionalWeakTable<IModel, Func<WoningPasDbContext, Guid, CancellationToken, Task<PassportRow?>>> Compiled = [];

    private static Func<WoningPasDbContext, Guid, CancellationToken, Task<PassportRow?>> Compile() =>
        EF.CompileAsyncQuery<WoningPasDbContext, Guid, PassportRow?>(
            (WoningPasDbContext db, Guid dwellingId, CancellationToken cancellationToken) =>
                db.Dwellings.AsNoTracking()
                    .Where(d => d.Id == dwellingId)
                    .Select(d => new PassportRow(
                        d.Id,
                        d.Address,
                        d.Building.ConstructionYear,
                        d.Building.IsResidential,
                        d.Building.Parcels.OrderBy(p => p.CaPaKey).Select(p => new ParcelRow(p.Id, p.CaPaKey)).ToList(),
                        // Filtered on the parameter, not on d.Id: EF turns "newest per dwelling" into a window over the whole
                        // table, and only a filter inside that window lets PostgreSQL use the (dwelling_id, issued_on) index.
                        db.EnergyCertificates.Where(c => c.DwellingId == dwellingId).OrderByDescending(c => c.IssuedOn).FirstOrDefault(),
                        db.Deeds.Where(x => x.DwellingId == dwellingId).OrderByDescending(x => x.SignedOn).FirstOrDefault(),
                        db.AsbestosCertificates.Where(c => c.DwellingId == dwellingId).OrderByDescending(c => c.IssuedOn).FirstOrDefault(),
                        db.ConformityCertificates.Where(c => c.DwellingId == dwellingId).OrderByDescending(c => c.IssuedOn).FirstOrDefault(),
                        // Parcel sections are reached through the building's parcels, so each is an index lookup by parcel.
                        d.Building.Parcels.SelectMany(p => db.SoilCertificates.Where(s => s.ParcelId == p.Id)).ToList(),
                        d.Building.Parcels.SelectMany(p => db.FloodScores.Where(f => f.ParcelId == p.Id)).ToList(),
                        d.Building.Parcels.SelectMany(p => db.Permits.Where(x => x.ParcelId == p.Id))
                            .OrderByDescending(x => x.SubmittedOn).ToList(),
                        db.Installations.Where(i => i.DwellingId == dwellingId).OrderBy(i => i.Kind).ToList(),
                        db.OwnerDocuments.Where(o => o.DwellingId == dwellingId).OrderByDescending(o => o.UploadedAt).ToList(),
                        db.RealRights.Where(r => r.DwellingId == dwellingId)
                            .Select(r => new HolderRight(r.HolderId, r.ValidFrom, r.ValidUntil)).ToList()))
                    .SingleOrDefault());
}
