using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WoningPas.Api.Dwellings;
using WoningPas.Data;
using WoningPas.Data.Dwellings;
using WoningPas.Data.Sections;

namespace WoningPas.Api.Passport;

/// <summary>Everything the passport of one dwelling is made of, as stored: read in one query.</summary>
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
    List<OwnerDocument> Documents);

public sealed record ParcelRow(Guid Id, string CaPaKey);

public static class PassportReader
{
    /// <summary>
    /// The passport of a dwelling the caller was granted (the grant is the proof that
    /// <see cref="DwellingAuthorizer"/> was asked), or null when the dwelling is gone. One round trip: each section is
    /// a subquery of the same statement.
    /// </summary>
    public static Task<PassportRow?> ReadAsync(WoningPasDbContext db, DwellingGrant grant,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(grant);
        return ReadAsync(db, db.Dwellings.AsNoTracking(), grant.DwellingId, cancellationToken);
    }

    /// <summary>
    /// A holder's own passport, authorised inside the same statement: <see cref="DwellingAuthorizer.ReadAsHolderAsync"/>
    /// hands over only the dwellings the caller holds, so a dwelling they do not hold reads as null.
    /// </summary>
    public static Task<(DwellingGrant Grant, PassportRow Data)?> ReadAsHolderAsync(WoningPasDbContext db,
        DwellingAuthorizer authorizer, ClaimsPrincipal user, Guid dwellingId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authorizer);
        return authorizer.ReadAsHolderAsync(user, dwellingId,
            held => ReadAsync(db, held, dwellingId, cancellationToken));
    }

    private static Task<PassportRow?> ReadAsync(WoningPasDbContext db, IQueryable<Dwelling> dwellings, Guid dwellingId,
        CancellationToken cancellationToken) =>
        dwellings
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
                db.OwnerDocuments.Where(o => o.DwellingId == dwellingId).OrderByDescending(o => o.UploadedAt).ToList()))
            .SingleOrDefaultAsync(cancellationToken);
}
