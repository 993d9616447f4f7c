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
/// The passport of a dwelling, whole or one section. Authorised against the holder's rights of today and recorded in
/// the access log before the data leaves; someone else's dwelling answers exactly like an unknown one.
/// </summary>
public static class PassportEndpoints
{
    /// <summary>The section names of the URL, in the order of the passport.</summary>
    public static IReadOnlyList<string> SectionNames { get; } =
        ["epc", "renovation", "asbestos", "soil", "flood", "permits", "conformity", "installations", "documents"];

    public static IEndpointRouteBuilder MapPassport(this IEndpointRouteBuilder routes)
    {
        var passport = routes.MapGroup("/api/dwellings/{id:guid}/passport")
            .RequireAuthorization(Authentication.CitizenPolicy);
        passport.MapGet("/", PassportAsync);
        passport.MapGet("/{section}", SectionAsync);
        return routes;
    }

    private static async Task<Results<Ok<PassportView>, ProblemHttpResult>> PassportAsync(Guid id, HttpContext context,
        WoningPasDbContext db, AccessRecorder recorder, PassportRegistries registries, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var actor = DwellingEndpoints.RequireActor(context);
        var today = time.Today();
        var row = await PassportReader.ReadAsync(db, id, actor.SubjectId, today, cancellationToken);
        await RecordAsync(recorder, actor, "passport", id.ToString("D"), id, row is not null, cancellationToken);
        return row is null ? NotFound()
            : TypedResults.Ok(PassportBuilder.Build(row, today, await registries.ReadAsync(row, section: null, cancellationToken)));
    }

    private static async Task<Results<Ok<object>, ProblemHttpResult>> SectionAsync(Guid id, string section,
        HttpContext context, WoningPasDbContext db, AccessRecorder recorder, PassportRegistries registries,
        TimeProvider time, CancellationToken cancellationToken)
    {
        if (!SectionNames.Contains(section, StringComparer.Ordinal))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown section",
                detail: $"section must be one of: {string.Join(", ", SectionNames)}.", type: ProblemTypes.NotFound);
        }

        var actor = DwellingEndpoints.RequireActor(context);
        var today = time.Today();
        var row = await PassportReader.ReadAsync(db, id, actor.SubjectId, today, cancellationToken);
        await RecordAsync(recorder, actor, "section", $"{id:D}/{section}", id, row is not null, cancellationToken);
        return row is null ? NotFound()
            : TypedResults.Ok(Pick(PassportBuilder.Build(row, today, await registries.ReadAsync(row, section, cancellationToken)).Sections, section));
    }

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

    /// <summary>
    /// A refused read is recorded too, but without the dwelling: it must not appear in another holder's log as if
    /// their dossier had been read.
    /// </summary>
    private static Task RecordAsync(AccessRecorder recorder, Actor actor, string objectKind, string objectId,
        Guid dwellingId, bool allowed, CancellationToken cancellationToken) =>
        recorder.RecordAsync(actor, AccessAction.Read, objectKind, objectId, allowed ? dwellingId : null,
            DwellingEndpoints.OwnDossierPurpose, allowed ? AccessOutcome.Allowed : AccessOutcome.Denied, cancellationToken);

    private static ProblemHttpResult NotFound() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Dwelling not found",
            detail: "No dwelling with this id is visible to you.", type: ProblemTypes.NotFound);
}
