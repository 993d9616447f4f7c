using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using WoningPas.Api.AccessLog;
using WoningPas.Api.Account;
using WoningPas.Api.Dwellings;
using WoningPas.Api.Infrastructure;
using WoningPas.Data;
using WoningPas.Data.AccessLog;
using WoningPas.Data.BackOffice;

namespace WoningPas.Api.Reports;

public sealed record ReportView(Guid Id, Guid DwellingId, string Section, string Comment, DateTimeOffset ReportedAt,
    DataReportStatus Status, string? Answer, DateTimeOffset? AnsweredAt);

public sealed record ReportsResponse(IReadOnlyList<ReportView> Reports);

/// <summary>
/// "Report wrong data": a holder flags a section of their dwelling with a comment, and later reads its status and the
/// agency's answer. Only sections an agency owns can be reported: derived and owner-made sections have nobody to fix
/// them.
/// </summary>
public static class ReportEndpoints
{
    public const int MinCommentLength = 10;
    public const int MaxCommentLength = 2000;
    private const int MaxBodyBytes = 16 * 1024;

    public static IEndpointRouteBuilder MapReports(this IEndpointRouteBuilder routes)
    {
        var reports = routes.MapGroup("/api/dwellings/{id:guid}").RequireAuthorization(Authentication.CitizenPolicy);
        reports.MapPost("/passport/{section}/reports", CreateAsync);
        reports.MapGet("/passport/{section}/reports", ListSectionAsync);
        reports.MapGet("/reports", ListAllAsync);
        return routes;
    }

    private static async Task<Results<Created<ReportView>, ValidationProblem, ProblemHttpResult>> CreateAsync(Guid id,
        string section, HttpContext context, WoningPasDbContext db, AccessRecorder recorder, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var actor = DwellingEndpoints.RequireActor(context);
        if (!await HoldsAsync(db, actor, id, time, cancellationToken))
        {
            await recorder.RecordAsync(actor, AccessAction.Edit, "data-report", null, null,
                DwellingAuthorizer.OwnDossierPurpose, AccessOutcome.Denied, cancellationToken);
            return NotFound();
        }

        if (!DwellingAuthorizer.SectionOwners.TryGetValue(section, out var agency))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown section",
                type: ProblemTypes.NotFound);
        }

        var body = await RequestBodies.ReadBoundedAsync(context.Request, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request too large",
                type: ProblemTypes.TooLarge);
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (agency is null)
        {
            errors["section"] = ["Dit onderdeel wordt afgeleid of door uzelf beheerd; geen agentschap kan het verbeteren."];
        }

        var comment = Comment(body, errors);
        if (errors.Count > 0 || comment is null || agency is null)
        {
            return TypedResults.ValidationProblem(errors, title: "The report is not valid", type: ProblemTypes.Validation);
        }

        var report = new DataReport
        {
            Id = Guid.CreateVersion7(),
            DwellingId = id,
            Section = section,
            Agency = agency.Value,
            ReportedBy = actor.SubjectId,
            ReportedAt = time.GetUtcNow(),
            Comment = comment,
            Status = DataReportStatus.Open,
        };
        // The report and its entry commit together or not at all.
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            db.DataReports.Add(report);
            await db.SaveChangesAsync(cancellationToken);
            await recorder.RecordInTransactionAsync(db, actor, AccessAction.Edit, "data-report", report.Id.ToString("D"),
                id, DwellingAuthorizer.OwnDossierPurpose, AccessOutcome.Allowed, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return TypedResults.Created($"/api/dwellings/{id:D}/passport/{section}/reports/{report.Id:D}", ToView(report));
    }

    private static Task<Results<Ok<ReportsResponse>, ProblemHttpResult>> ListSectionAsync(Guid id, string section,
        HttpContext context, WoningPasDbContext db, AccessRecorder recorder, TimeProvider time,
        CancellationToken cancellationToken) =>
        DwellingAuthorizer.SectionOwners.ContainsKey(section)
            ? ReadAsync(id, section, context, db, recorder, time, cancellationToken)
            : Task.FromResult<Results<Ok<ReportsResponse>, ProblemHttpResult>>(TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound, title: "Unknown section", type: ProblemTypes.NotFound));

    private static Task<Results<Ok<ReportsResponse>, ProblemHttpResult>> ListAllAsync(Guid id, HttpContext context,
        WoningPasDbContext db, AccessRecorder recorder, TimeProvider time, CancellationToken cancellationToken) =>
        ReadAsync(id, null, context, db, recorder, time, cancellationToken);

    /// <summary>The holder's own reports on the dwelling, newest first; a co-owner's reports are theirs to see.</summary>
    private static async Task<Results<Ok<ReportsResponse>, ProblemHttpResult>> ReadAsync(Guid id, string? section,
        HttpContext context, WoningPasDbContext db, AccessRecorder recorder, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var actor = DwellingEndpoints.RequireActor(context);
        if (!await HoldsAsync(db, actor, id, time, cancellationToken))
        {
            await recorder.RecordAsync(actor, AccessAction.Read, "data-reports", id.ToString("D"), null,
                DwellingAuthorizer.OwnDossierPurpose, AccessOutcome.Denied, cancellationToken);
            return NotFound();
        }

        var reports = await db.DataReports.AsNoTracking()
            .Where(r => r.DwellingId == id && r.ReportedBy == actor.SubjectId && (section == null || r.Section == section))
            .OrderByDescending(r => r.ReportedAt)
            .ToListAsync(cancellationToken);
        await recorder.RecordAsync(actor, AccessAction.Read, "data-reports", id.ToString("D"), id,
            DwellingAuthorizer.OwnDossierPurpose, AccessOutcome.Allowed, cancellationToken);
        return TypedResults.Ok(new ReportsResponse([.. reports.Select(ToView)]));
    }

    private static string? Comment(byte[] body, Dictionary<string, string[]> errors)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var comment = json.RootElement.ValueKind == JsonValueKind.Object
                          && json.RootElement.TryGetProperty("comment", out var value)
                          && value.ValueKind == JsonValueKind.String
                ? value.GetString()!.Trim()
                : "";
            if (comment.Length < MinCommentLength || comment.Length > MaxCommentLength)
            {
                errors["comment"] = [$"Beschrijf in {MinCommentLength} tot {MaxCommentLength} tekens wat er niet klopt."];
                return null;
            }

            return comment;
        }
        catch (JsonException)
        {
            errors[""] = ["De body is geen geldige JSON."];
            return null;
        }
    }

    private static Task<bool> HoldsAsync(WoningPasDbContext db, Actor actor, Guid dwellingId, TimeProvider time,
        CancellationToken cancellationToken) =>
        db.Dwellings.AsNoTracking().HeldBy(actor.SubjectId, time.Today()).AnyAsync(d => d.Id == dwellingId, cancellationToken);

    private static ReportView ToView(DataReport report) =>
        new(report.Id, report.DwellingId, report.Section, report.Comment, report.ReportedAt, report.Status, report.Answer,
            report.AnsweredAt);

    private static ProblemHttpResult NotFound() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Dwelling not found",
            detail: "No dwelling with this id is yours.", type: ProblemTypes.NotFound);
}
