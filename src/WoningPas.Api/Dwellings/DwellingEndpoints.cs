using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using WoningPas.Api.AccessLog;
using WoningPas.Api.Account;
using WoningPas.Api.Infrastructure;
using WoningPas.Data;
using WoningPas.Data.AccessLog;

namespace WoningPas.Api.Dwellings;

/// <summary>
/// The dwellings a citizen holds a right on today. The read is recorded in the access log before the data leaves.
/// </summary>
public static class DwellingEndpoints
{
    public const string OwnDossierPurpose = DwellingAuthorizer.OwnDossierPurpose;

    public static IEndpointRouteBuilder MapDwellings(this IEndpointRouteBuilder routes)
    {
        var dwellings = routes.MapGroup("/api/dwellings").RequireAuthorization(Authentication.CitizenPolicy);
        dwellings.MapGet("/", ListAsync);
        return routes;
    }

    private static async Task<Ok<DwellingListResponse>> ListAsync(HttpContext context, WoningPasDbContext db,
        AccessRecorder recorder, TimeProvider time, CancellationToken cancellationToken)
    {
        var actor = RequireActor(context);
        var today = time.Today();
        var rows = await db.RealRights
            .ActiveOn(today)
            .Where(r => r.HolderId == actor.SubjectId)
            .OrderBy(r => r.Dwelling.Address.Municipality).ThenBy(r => r.Dwelling.Address.Street)
            .ThenBy(r => r.Dwelling.Address.HouseNumber).ThenBy(r => r.Dwelling.Address.BoxNumber)
            .Select(r => new { r.DwellingId, r.Kind, r.Dwelling.Address })
            .ToListAsync(cancellationToken);

        await recorder.RecordAsync(actor, AccessAction.Read, "dwelling-list", actor.SubjectId.ToString("D"), null,
            OwnDossierPurpose, AccessOutcome.Allowed, cancellationToken);
        return TypedResults.Ok(new DwellingListResponse(
            [.. rows.Select(r => new DwellingSummary(r.DwellingId, r.Address.Label, r.Kind))]));
    }

    /// <summary>The citizen policy guarantees the claims; a session without them is a bug, not a user error.</summary>
    public static Actor RequireActor(HttpContext context) =>
        Actor.From(context.User) ?? throw new InvalidOperationException("An authorised session carries no subject.");
}
