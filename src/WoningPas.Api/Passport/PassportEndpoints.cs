using Microsoft.AspNetCore.Http.HttpResults;
using WoningPas.Api.AccessLog;
using WoningPas.Api.Account;
using WoningPas.Api.Dwellings;
using WoningPas.Api.Infrastructure;
using WoningPas.Api.Registries;
using WoningPas.Data;
using WoningPas.Data.AccessLog;

namespace WoningPas.Api.Passport;

/// <summary>
/// The passport of a dwelling, whole or one section, for every kind of reader: authorised by
/// <see cref="DwellingAuthorizer"/> and recorded in the access log before the data leaves. A dwelling the caller may
/// not see answers exactly like an unknown one; a visible dwelling's section that is not theirs answers 403.
/// </summary>
public static class PassportEndpoints
{
    /// <summary>The section names of the URL, in the order of the passport.</summary>
    public static IReadOnlyList<string> SectionNames { get; } =
        ["epc", "renovation", "asbestos", "soil", "flood", "permits", "conformity", "installations", "documents"];

    public static IEndpointRouteBuilder MapPassport(this IEndpointRouteBuilder routes)
    {
        var passport = routes.MapGroup("/api/dwellings/{id:guid}/passport")
            .RequireAuthorization(Authentication.DwellingReaderPolicy);
        passport.MapGet("/", PassportAsync);
        passport.MapGet("/{section}", SectionAsync);
        // A link holder does not know the dwelling's id beforehand: the link names it.
        routes.MapGet("/api/shared/passport", SharedPassportAsync).RequireAuthorization(Authentication.LinkHolderPolicy);
        return routes;
    }

    private static async Task<Results<Ok<PassportView>, Ok<PartialPassportView>, ProblemHttpResult>> PassportAsync(
        Guid id, HttpContext context, WoningPasDbContext db, PassportCache passports, DwellingAuthorizer authorizer,
        AccessRecorder recorder, PassportRegistries registries, TimeProvider time, CancellationToken cancellationToken)
    {
        var actor = DwellingEndpoints.RequireActor(context);
        var read = await ReadAndAuthorizeAsync(id, actor, context, db, passports, authorizer, time, cancellationToken);
        var objectId = id.ToString("D");
        if (read is not ({ } grant, { } row))
        {
            await RecordDeniedAsync(recorder, actor, "passport", objectId, null, cancellationToken);
            return NotFound();
        }

        if (grant.Sections.Count == 0)
        {
            await RecordDeniedAsync(recorder, actor, "passport", objectId, grant, cancellationToken);
            return Forbidden("None of this passport's sections is yours to read.");
        }

        await RecordAllowedAsync(recorder, actor, "passport", objectId, grant, cancellationToken);
        var passport = PassportBuilder.Build(row, time.Today(),
            await registries.ReadAsync(row, grant.Allows, cancellationToken));
        return grant.IsHolder ? TypedResults.Ok(passport) : TypedResults.Ok(Partial(passport, grant));
    }

    private static async Task<Results<Ok<object>, ProblemHttpResult>> SectionAsync(Guid id, string section,
        HttpContext context, WoningPasDbContext db, PassportCache passports, DwellingAuthorizer authorizer,
        AccessRecorder recorder, PassportRegistries registries, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!SectionNames.Contains(section, StringComparer.Ordinal))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown section",
                detail: $"section must be one of: {string.Join(", ", SectionNames)}.", type: ProblemTypes.NotFound);
        }

        var actor = DwellingEndpoints.RequireActor(context);
        var read = await ReadAndAuthorizeAsync(id, actor, context, db, passports, authorizer, time, cancellationToken);
        var objectId = $"{id:D}/{section}";
        if (read is not ({ } grant, { } row))
        {
            await RecordDeniedAsync(recorder, actor, "section", objectId, null, cancellationToken);
            return NotFound();
        }

        if (!grant.Allows(section))
        {
            await RecordDeniedAsync(recorder, actor, "section", objectId, grant, cancellationToken);
            return Forbidden($"The {section} section of this dwelling is not yours to read.");
        }

        await RecordAllowedAsync(recorder, actor, "section", objectId, grant, cancellationToken);
        var answers = await registries.ReadAsync(row, name => name == section, cancellationToken);
        return TypedResults.Ok(Pick(PassportBuilder.Build(row, time.Today(), answers).Sections, section));
    }

    private static async Task<Results<Ok<PassportView>, Ok<PartialPassportView>, ProblemHttpResult>> SharedPassportAsync(
        HttpContext context, WoningPasDbContext db, PassportCache passports, DwellingAuthorizer authorizer,
        AccessRecorder recorder, PassportRegistries registries, TimeProvider time, CancellationToken cancellationToken)
    {
        // The share link was checked at authentication; a share revoked since then in this very request is a 404.
        var dwellingId = await authorizer.LinkDwellingAsync(context.User, cancellationToken);
        if (dwellingId is null)
        {
            await RecordDeniedAsync(recorder, DwellingEndpoints.RequireActor(context), "passport", null, null,
                cancellationToken);
            return NotFound();
        }

        return await PassportAsync(dwellingId.Value, context, db, passports, authorizer, recorder, registries, time,
            cancellationToken);
    }

    /// <summary>
    /// The passport and what the caller may read of it. A citizen's passport is read first: for a holder reading their
    /// own dwelling, nearly every read, the holders read with it decide (one round trip, or none from the cache).
    /// Everyone else, a citizen without a right today included, gets the grant of
    /// <see cref="DwellingAuthorizer.AuthorizeAsync"/>, and only a citizen's passport is read before that grant: an
    /// agency's, a machine client's or a link's is read once it is granted. No grant and no passport both answer 404.
    /// </summary>
    private static async Task<(DwellingGrant Grant, PassportRow Row)?> ReadAndAuthorizeAsync(Guid id, Actor actor,
        HttpContext context, WoningPasDbContext db, PassportCache passports, DwellingAuthorizer authorizer,
        TimeProvider time, CancellationToken cancellationToken)
    {
        PassportRow? row = null;
        if (actor.Role == Roles.Citizen)
        {
            row = await passports.ReadAsync(db, id, cancellationToken);
            if (row is null)
            {
                return null;
            }

            if (row.IsHeldBy(actor.SubjectId, time.Today()))
            {
                return (DwellingAuthorizer.HolderGrant(id), row);
            }
        }

        if (await authorizer.AuthorizeAsync(context.User, id, cancellationToken) is not { } grant)
        {
            return null;
        }

        row ??= await passports.ReadAsync(db, id, cancellationToken);
        return row is null ? null : (grant, row);
    }

    private static PartialPassportView Partial(PassportView passport, DwellingGrant grant) =>
        new(passport.DwellingId, passport.Address, passport.Building,
            SectionNames.Where(grant.Allows).ToDictionary(name => name, name => Pick(passport.Sections, name),
                StringComparer.Ordinal));

    private static object Pick(PassportSections sections, string section) => section switch
    {
        "epc" => sections.Epc,
        "renovation" => sections.Renovation,
        "asbestos" => sections.Asbestos,
        "soil" => sections.Soil,
        "flood" => sections.Flood,
        "permits" => sections.Permits,
        "conformity" => sections.Conformity,
        "installations" => sections.Installations,
        "documents" => sections.Documents,
        _ => throw new ArgumentOutOfRangeException(nameof(section), section, "Checked against SectionNames."),
    };

    private static Task RecordAllowedAsync(AccessRecorder recorder, Actor actor, string objectKind, string objectId,
        DwellingGrant grant, CancellationToken cancellationToken) =>
        recorder.RecordAsync(actor, AccessAction.Read, objectKind, objectId, grant.DwellingId, grant.Purpose,
            AccessOutcome.Allowed, cancellationToken, grant.ActingForId);

    /// <summary>
    /// A refused read is recorded too. Without a grant it carries no dwelling: it must not appear in a holder's log as
    /// if their dossier had been read by someone who could not even see it. A caller who can see the dwelling but not
    /// the section is recorded against the dwelling, so its holders see the attempt.
    /// </summary>
    private static Task RecordDeniedAsync(AccessRecorder recorder, Actor actor, string objectKind, string? objectId,
        DwellingGrant? grant, CancellationToken cancellationToken) =>
        recorder.RecordAsync(actor, AccessAction.Read, objectKind, objectId, grant?.DwellingId,
            grant?.Purpose ?? DwellingAuthorizer.DefaultPurpose(actor.Role), AccessOutcome.Denied, cancellationToken,
            grant?.ActingForId);

    private static ProblemHttpResult NotFound() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Dwelling not found",
            detail: "No dwelling with this id is visible to you.", type: ProblemTypes.NotFound);

    private static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed", detail: detail,
            type: ProblemTypes.Forbidden);
}
