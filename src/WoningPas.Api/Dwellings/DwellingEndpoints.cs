using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using WoningPas.Api.AccessLog;
using WoningPas.Api.Account;
using WoningPas.Api.Infrastructure;
using WoningPas.Data;
using WoningPas.Data.AccessLog;
using WoningPas.Domain;

namespace WoningPas.Api.Dwellings;

/// <summary>
/// A citizen's own dwellings and their passports. Every read is authorised against the citizen's rights of today and
/// recorded in the access log before the data leaves; someone else's dwelling answers exactly like an unknown one.
/// </summary>
public static class DwellingEndpoints
{
    private const string OwnDossierPurpose = "own-dossier";

    public static IEndpointRouteBuilder MapDwellings(this IEndpointRouteBuilder routes)
    {
        var dwellings = routes.MapGroup("/api/dwellings").RequireAuthorization(Authentication.CitizenPolicy);
        dwellings.MapGet("/", ListAsync);
        dwellings.MapGet("/{id:guid}/passport", PassportAsync);
        return routes;
    }

    private static async Task<Ok<DwellingListResponse>> ListAsync(HttpContext context, WoningPasDbContext db,
        AccessRecorder recorder, TimeProvider time, CancellationToken cancellationToken)
    {
        var actor = RequireActor(context);
        var today = time.Today();
        var rows = await db.RealRights
            .Where(r => r.HolderId == actor.SubjectId && r.ValidFrom <= today && (r.ValidUntil == null || r.ValidUntil >= today))
            .OrderBy(r => r.Dwelling.Address.Municipality).ThenBy(r => r.Dwelling.Address.Street)
            .ThenBy(r => r.Dwelling.Address.HouseNumber).ThenBy(r => r.Dwelling.Address.BoxNumber)
            .Select(r => new { r.DwellingId, r.Kind, r.Dwelling.Address })
            .ToListAsync(cancellationToken);

        await recorder.RecordAsync(actor, AccessAction.Read, "dwelling-list", actor.SubjectId.ToString("D"), null,
            OwnDossierPurpose, AccessOutcome.Allowed, cancellationToken);
        return TypedResults.Ok(new DwellingListResponse(
            [.. rows.Select(r => new DwellingSummary(r.DwellingId, r.Address.Label, r.Kind))]));
    }

    private static async Task<Results<Ok<PassportResponse>, ProblemHttpResult>> PassportAsync(Guid id,
        HttpContext context, WoningPasDbContext db, AccessRecorder recorder, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var actor = RequireActor(context);
        var today = time.Today();
        var row = await db.Dwellings
            .Where(d => d.Id == id && d.Rights.Any(r =>
                r.HolderId == actor.SubjectId && r.ValidFrom <= today && (r.ValidUntil == null || r.ValidUntil >= today)))
            .Select(d => new
            {
                d.Address,
                d.Parcel.CaPaKey,
                Epc = db.EnergyCertificates.Where(c => c.DwellingId == d.Id).OrderByDescending(c => c.IssuedOn).FirstOrDefault(),
            })
            .AsNoTracking()
            .SingleOrDefaultAsync(cancellationToken);

        if (row is null)
        {
            await recorder.RecordAsync(actor, AccessAction.Read, "passport", id.ToString("D"), null,
                OwnDossierPurpose, AccessOutcome.Denied, cancellationToken);
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Dwelling not found",
                detail: "No dwelling with this id is visible to you.", type: ProblemTypes.NotFound);
        }

        await recorder.RecordAsync(actor, AccessAction.Read, "passport", id.ToString("D"), id,
            OwnDossierPurpose, AccessOutcome.Allowed, cancellationToken);

        var address = row.Address;
        var epc = row.Epc is null
            ? null
            : new EpcSection(row.Epc.Label.ToDisplay(), row.Epc.PrimaryEnergyUse, row.Epc.IssuedOn, row.Epc.ValidUntil,
                CertificateRules.StatusOn(row.Epc.ValidUntil, today), row.Epc.CertificateNumber);
        return TypedResults.Ok(new PassportResponse(
            id,
            new AddressSection(address.Street, address.HouseNumber, address.BoxNumber, address.PostalCode,
                address.Municipality, address.Label),
            new ParcelSection(row.CaPaKey),
            epc));
    }

    /// <summary>The citizen policy guarantees the claims; a session without them is a bug, not a user error.</summary>
    private static Actor RequireActor(HttpContext context) =>
        Actor.From(context.User) ?? throw new InvalidOperationException("An authorised session carries no subject.");
}
