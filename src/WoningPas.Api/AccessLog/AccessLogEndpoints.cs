using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using WoningPas.Api.Account;
using WoningPas.Api.Dwellings;
using WoningPas.Api.Infrastructure;
using WoningPas.Data;
using WoningPas.Data.AccessLog;

namespace WoningPas.Api.AccessLog;

/// <summary>An access as the citizen sees it: who by organisation and role (never a staff member's name), when, what, why.</summary>
public sealed record CitizenAccessView(DateTimeOffset OccurredAt, string ActorRole, string? ActorOrganisation, bool ByYou,
    AccessAction Action, string ObjectKind, string? ObjectId, Guid? DwellingId, string Purpose, AccessOutcome Outcome);

public sealed record CitizenAccessLogPage(IReadOnlyList<CitizenAccessView> Items, int Page, int PageSize, bool HasMore);

/// <summary>An access as an auditor sees it: the whole entry, hashes included.</summary>
public sealed record AuditAccessView(long Id, DateTimeOffset OccurredAt, string ActorId, string? ActingForId,
    string ActorRole, string? ActorOrganisation, AccessAction Action, string ObjectKind, string? ObjectId,
    Guid? DwellingId, string Purpose, AccessOutcome Outcome, string? ClientAddress, string? CorrelationId,
    string PreviousHash, string Hash);

public sealed record AuditAccessLogPage(IReadOnlyList<AuditAccessView> Items, int Page, int PageSize, bool HasMore);

/// <summary>
/// The access log read back: a citizen sees every access to the dwellings they hold, from the day their right began
/// (not what happened under a previous owner), page by page or as a CSV/JSON download; auditors search it all by
/// dwelling, actor and period. Each of these reads is itself one access-log entry.
/// </summary>
public static class AccessLogEndpoints
{
    public const string AuditPurpose = "audit";
    private const int DefaultPageSize = 50;
    private const int MaxPageSize = 200;
    private const int MaxExportRows = 100_000;

    private static readonly TimeZoneInfo Brussels = TimeZoneInfo.FindSystemTimeZoneById("Europe/Brussels");

    public static IEndpointRouteBuilder MapAccessLog(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/me/access-log", MineAsync).RequireAuthorization(Authentication.CitizenPolicy);
        routes.MapGet("/api/audit/access-log", SearchAsync).RequireAuthorization(Authentication.AuditorPolicy);
        return routes;
    }

    private static async Task<IResult> MineAsync(HttpContext context, WoningPasDbContext db, AccessRecorder recorder,
        TimeProvider time, string? page, string? pageSize, string? format, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var paging = Paging.Parse(page, pageSize, errors);
        if (format is not (null or "json" or "csv"))
        {
            errors["format"] = ["Must be json or csv."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The query is not valid", type: ProblemTypes.Validation);
        }

        var actor = DwellingEndpoints.RequireActor(context);
        var today = time.Today();
        var held = await db.RealRights.AsNoTracking().ActiveOn(today).Where(r => r.HolderId == actor.SubjectId)
            .Select(r => new { r.DwellingId, r.ValidFrom }).ToListAsync(cancellationToken);
        // One branch per dwelling, each from the day the right began: a new owner does not see the old owner's readers.
        IQueryable<AccessLogEntry>? entries = null;
        foreach (var right in held.GroupBy(r => r.DwellingId).Select(g => new { Id = g.Key, From = StartOf(g.Min(r => r.ValidFrom)) }))
        {
            var branch = db.AccessLog.AsNoTracking().Where(e => e.DwellingId == right.Id && e.OccurredAt >= right.From);
            entries = entries is null ? branch : entries.Concat(branch);
        }

        var exporting = format is not null;
        var rows = entries is null
            ? []
            : await entries.OrderByDescending(e => e.Id)
                .Skip(exporting ? 0 : (paging.Page - 1) * paging.PageSize)
                .Take(exporting ? MaxExportRows : paging.PageSize + 1)
                .ToListAsync(cancellationToken);
        await recorder.RecordAsync(actor, exporting ? AccessAction.Export : AccessAction.Read, "access-log",
            actor.SubjectId.ToString("D"), null, DwellingAuthorizer.OwnDossierPurpose, AccessOutcome.Allowed,
            cancellationToken);

        var you = actor.SubjectId.ToString("D");
        var views = rows.Select(e => new CitizenAccessView(e.OccurredAt, e.ActorRole, e.ActorOrganisation,
            e.ActorId == you, e.Action, e.ObjectKind, e.ObjectId, e.DwellingId, e.Purpose, e.Outcome)).ToList();
        return format switch
        {
            "csv" => Download(Csv(views), "text/csv; charset=utf-8", "toegangslog.csv"),
            "json" => Download(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(views, JsonExport.Options),
                "application/json", "toegangslog.json"),
            _ => TypedResults.Ok(new CitizenAccessLogPage([.. views.Take(paging.PageSize)], paging.Page, paging.PageSize,
                views.Count > paging.PageSize)),
        };
    }

    private static async Task<Results<Ok<AuditAccessLogPage>, ValidationProblem>> SearchAsync(HttpContext context,
        WoningPasDbContext db, AccessRecorder recorder, string? dwellingId, string? actor, string? from, string? to,
        string? page, string? pageSize, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var paging = Paging.Parse(page, pageSize, errors);
        Guid? dwelling = null;
        if (dwellingId is not null)
        {
            if (Guid.TryParse(dwellingId, out var parsed))
            {
                dwelling = parsed;
            }
            else
            {
                errors["dwellingId"] = ["Must be a dwelling id (a UUID)."];
            }
        }

        if (actor is { Length: 0 or > 100 })
        {
            errors["actor"] = ["Must be an actor's subject id of 1 to 100 characters."];
        }

        var since = ParseInstant(from, "from", errors);
        var until = ParseInstant(to, "to", errors);
        if (since is not null && until is not null && since > until)
        {
            errors["to"] = ["Must not be before from."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The search is not valid", type: ProblemTypes.Validation);
        }

        var query = db.AccessLog.AsNoTracking();
        if (dwelling is not null)
        {
            query = query.Where(e => e.DwellingId == dwelling);
        }

        if (actor is not null)
        {
            query = query.Where(e => e.ActorId == actor);
        }

        if (since is not null)
        {
            query = query.Where(e => e.OccurredAt >= since);
        }

        if (until is not null)
        {
            query = query.Where(e => e.OccurredAt <= until);
        }

        var rows = await query.OrderByDescending(e => e.Id).Skip((paging.Page - 1) * paging.PageSize)
            .Take(paging.PageSize + 1).ToListAsync(cancellationToken);
        // The search is on record against the dwelling searched, so that its holders see an auditor looked.
        await recorder.RecordAsync(DwellingEndpoints.RequireActor(context), AccessAction.Search, "access-log",
            actor ?? dwelling?.ToString("D"), dwelling, AuditPurpose, AccessOutcome.Allowed, cancellationToken);
        return TypedResults.Ok(new AuditAccessLogPage([.. rows.Take(paging.PageSize).Select(e => new AuditAccessView(
            e.Id, e.OccurredAt, e.ActorId, e.ActingForId, e.ActorRole, e.ActorOrganisation, e.Action, e.ObjectKind,
            e.ObjectId, e.DwellingId, e.Purpose, e.Outcome, e.ClientAddress, e.CorrelationId,
            Convert.ToHexStringLower(e.PreviousHash), Convert.ToHexStringLower(e.Hash)))],
            paging.Page, paging.PageSize, rows.Count > paging.PageSize));
    }

    private static DateTimeOffset StartOf(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, Brussels.GetUtcOffset(local)).ToUniversalTime();
    }

    /// <summary>A date (yyyy-MM-dd, the Belgian day's start) or an ISO 8601 instant with offset.</summary>
    private static DateTimeOffset? ParseInstant(string? value, string field, Dictionary<string, string[]> errors)
    {
        if (value is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return StartOf(day);
        }

        if (value.Length <= 40 && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
        {
            return instant;
        }

        errors[field] = ["Must be a date (yyyy-MM-dd) or an ISO 8601 date and time."];
        return null;
    }

    private static IResult Download(byte[] content, string contentType, string fileName) =>
        TypedResults.File(content, contentType, fileName);

    private static byte[] Csv(IEnumerable<CitizenAccessView> views)
    {
        var csv = new StringBuilder("occurredAt,actorRole,actorOrganisation,byYou,action,objectKind,objectId,dwellingId,purpose,outcome\r\n");
        foreach (var v in views)
        {
            csv.AppendJoin(',',
                Cell(v.OccurredAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)), Cell(v.ActorRole),
                Cell(v.ActorOrganisation), Cell(v.ByYou ? "true" : "false"), Cell(v.Action.ToString()), Cell(v.ObjectKind),
                Cell(v.ObjectId), Cell(v.DwellingId?.ToString("D")), Cell(v.Purpose), Cell(v.Outcome.ToString()));
            csv.Append("\r\n");
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    /// <summary>RFC 4180 quoting, and no cell a spreadsheet would run as a formula.</summary>
    private static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private sealed record Paging(int Page, int PageSize)
    {
        public static Paging Parse(string? page, string? pageSize, Dictionary<string, string[]> errors)
        {
            var p = 1;
            var size = DefaultPageSize;
            if (page is not null && (!int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out p) || p is < 1 or > 100_000))
            {
                errors["page"] = ["Must be a whole number from 1 to 100000."];
            }

            if (pageSize is not null && (!int.TryParse(pageSize, NumberStyles.None, CultureInfo.InvariantCulture, out size)
                    || size is < 1 or > MaxPageSize))
            {
                errors["pageSize"] = [$"Must be a whole number from 1 to {MaxPageSize}."];
            }

            return new Paging(Math.Max(p, 1), Math.Clamp(size, 1, MaxPageSize));
        }
    }
}

internal static class JsonExport
{
    public static System.Text.Json.JsonSerializerOptions Options { get; } = CreateOptions();

    private static System.Text.Json.JsonSerializerOptions CreateOptions()
    {
        var options = new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web);
        options.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase));
        return options;
    }
}
