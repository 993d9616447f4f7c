using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using WoningPas.Api.AccessLog;
using WoningPas.Api.Account;
using WoningPas.Api.Dwellings;
using WoningPas.Api.Infrastructure;
using WoningPas.Data.AccessLog;

namespace WoningPas.Api.Staff;

public sealed record SectionResponse(Guid RecordId, string ETag, JsonObject Values);

public sealed record SectionRecordsResponse(IReadOnlyList<SectionResponse> Records);

public sealed record SectionHistoryResponse(IReadOnlyList<SectionVersionView> Versions);

/// <summary>
/// What every staff section call needs, bound from the request and the services, with why the caller needs the
/// dossier (query parameter <c>purpose</c>), which is logged with the call.
/// </summary>
public readonly record struct SectionCall(HttpContext Context, DwellingAuthorizer Authorizer, AccessRecorder Recorder,
    SectionEditor Editor, TimeProvider Time, [FromQuery(Name = "purpose")] string? Purpose);

/// <summary>
/// The sections for agency software and scripts, with the same rules as the pages. A change needs the ETag of the
/// version it was based on in <c>If-Match</c> (428 without it, 412 when someone saved in between), so a colleague's
/// save is never overwritten silently. A single-record section (epc, asbestos, conformity) is edited at
/// <c>…/sections/{section}</c>; every record, also of soil and installations, at <c>…/records/{recordId}</c>.
/// Every call says why in <c>?purpose=</c>, as the pages ask for a <c>doel</c>: without a valid one it is a 400 and
/// nothing is read or written.
/// </summary>
public static class StaffSectionEndpoints
{
    private const int MaxBodyBytes = 4096;

    public static IEndpointRouteBuilder MapStaffSections(this IEndpointRouteBuilder routes)
    {
        var sections = routes.MapGroup("/api/staff/dwellings/{id:guid}/sections/{section}")
            .RequireAuthorization(StaffRegistration.EditorPolicy);
        sections.MapGet("/", (Guid id, string section, [AsParameters] SectionCall call, CancellationToken ct) =>
            GetAsync(id, section, null, call, ct));
        sections.MapPut("/", (Guid id, string section, [AsParameters] SectionCall call, CancellationToken ct) =>
            PutAsync(id, section, null, call, ct));
        sections.MapGet("/records", ListAsync);
        sections.MapGet("/records/{recordId:guid}", (Guid id, string section, Guid recordId, [AsParameters] SectionCall call,
            CancellationToken ct) => GetAsync(id, section, recordId, call, ct));
        sections.MapPut("/records/{recordId:guid}", (Guid id, string section, Guid recordId, [AsParameters] SectionCall call,
            CancellationToken ct) => PutAsync(id, section, recordId, call, ct));
        sections.MapGet("/versions", HistoryAsync);
        sections.MapPost("/versions/{versionId:long}/undo", UndoAsync);
        return routes;
    }

    public static string ETagOf(uint version) => "\"" + version.ToString(CultureInfo.InvariantCulture) + "\"";

    private static async Task<Results<Ok<SectionResponse>, ProblemHttpResult>> GetAsync(Guid id, string section,
        Guid? recordId, SectionCall call, CancellationToken cancellationToken)
    {
        var (actor, kind, purpose, refusal) = await AuthorizeAsync(id, section, call, AccessAction.Read, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var state = await call.Editor.ReadAsync(kind, id, recordId, cancellationToken);
        if (state is null)
        {
            return NoRecord(kind);
        }

        await call.Recorder.RecordAsync(actor, AccessAction.Read, "section", $"{id:D}/{kind.Section}", id,
            purpose, AccessOutcome.Allowed, cancellationToken);
        call.Context.Response.Headers.ETag = ETagOf(state.Version);
        return TypedResults.Ok(Response(state));
    }

    private static async Task<Results<Ok<SectionRecordsResponse>, ProblemHttpResult>> ListAsync(Guid id, string section,
        [AsParameters] SectionCall call, CancellationToken cancellationToken)
    {
        var (actor, kind, purpose, refusal) = await AuthorizeAsync(id, section, call, AccessAction.Read, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var records = await call.Editor.ListAsync(kind, id, cancellationToken);
        await call.Recorder.RecordAsync(actor, AccessAction.Read, "section", $"{id:D}/{kind.Section}", id,
            purpose, AccessOutcome.Allowed, cancellationToken);
        return TypedResults.Ok(new SectionRecordsResponse([.. records.Select(Response)]));
    }

    private static async Task<Results<Ok<SectionResponse>, ValidationProblem, ProblemHttpResult>> PutAsync(Guid id,
        string section, Guid? recordId, SectionCall call, CancellationToken cancellationToken)
    {
        var (actor, kind, purpose, refusal) = await AuthorizeAsync(id, section, call, AccessAction.Edit, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        if (ExpectedVersion(call.Context.Request) is not { } expected)
        {
            return PreconditionRequired();
        }

        var body = await RequestBodies.ReadBoundedAsync(call.Context.Request, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request too large",
                detail: $"A section is at most {MaxBodyBytes} bytes.", type: ProblemTypes.TooLarge);
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var input = Parse(kind, body, errors);
        var values = input is null ? null : kind.Validate(input, call.Time.Today(), errors);
        if (values is null)
        {
            return Invalid(kind, errors);
        }

        var result = await call.Editor.SaveAsync(kind, actor, DisplayName(call.Context), id, recordId, expected, values,
            purpose, cancellationToken);
        return Answer(call.Context, kind, result);
    }

    private static async Task<Results<Ok<SectionHistoryResponse>, ProblemHttpResult>> HistoryAsync(Guid id,
        string section, [AsParameters] SectionCall call, CancellationToken cancellationToken)
    {
        var (actor, kind, purpose, refusal) = await AuthorizeAsync(id, section, call, AccessAction.Read, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var history = await call.Editor.HistoryAsync(kind, id, cancellationToken);
        await call.Recorder.RecordAsync(actor, AccessAction.Read, "section-history", $"{id:D}/{kind.Section}", id,
            purpose, AccessOutcome.Allowed, cancellationToken);
        return TypedResults.Ok(new SectionHistoryResponse(history));
    }

    private static async Task<Results<Ok<SectionResponse>, ValidationProblem, ProblemHttpResult>> UndoAsync(Guid id,
        string section, long versionId, [AsParameters] SectionCall call, CancellationToken cancellationToken)
    {
        var (actor, kind, purpose, refusal) = await AuthorizeAsync(id, section, call, AccessAction.Edit, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        if (ExpectedVersion(call.Context.Request) is not { } expected)
        {
            return PreconditionRequired();
        }

        var result = await call.Editor.UndoAsync(kind, actor, DisplayName(call.Context), id, expected, versionId,
            purpose, cancellationToken);
        return Answer(call.Context, kind, result);
    }

    private static SectionResponse Response(SectionState state) =>
        new(state.RecordId, ETagOf(state.Version), state.Values);

    private static Results<Ok<SectionResponse>, ValidationProblem, ProblemHttpResult> Answer(HttpContext context,
        SectionKind kind, SectionSaveResult result)
    {
        switch (result)
        {
            case SectionSaveResult.Saved saved:
                context.Response.Headers.ETag = ETagOf(saved.State.Version);
                return TypedResults.Ok(Response(saved.State));
            case SectionSaveResult.Stale stale:
                context.Response.Headers.ETag = ETagOf(stale.Current.Version);
                return TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed,
                    title: "Changed in the meantime",
                    detail: "Someone saved this section after the version you edited. Nothing was written; review the current values and try again.",
                    type: ProblemTypes.StaleVersion,
                    extensions: new Dictionary<string, object?>
                    {
                        ["currentETag"] = ETagOf(stale.Current.Version),
                        ["current"] = stale.Current.Values,
                    });
            case SectionSaveResult.Invalid invalid:
                return Invalid(kind, invalid.Errors);
            default:
                return NoRecord(kind);
        }
    }

    /// <summary>
    /// The section must be one the back office edits (a registry-held one is a 404 that says where it is corrected),
    /// the purpose must be valid (400, nothing logged: nothing was read), and the editor's agency must own it: another
    /// agency's editor sees that the dwelling exists (403); an unknown dwelling is a 404. Refusals are access-logged.
    /// </summary>
    private static async Task<(Actor Actor, SectionKind Kind, string Purpose, ProblemHttpResult? Refusal)> AuthorizeAsync(
        Guid id, string section, SectionCall call, AccessAction action, CancellationToken cancellationToken)
    {
        var actor = DwellingEndpoints.RequireActor(call.Context);
        if (SectionKinds.Find(section) is not { } kind)
        {
            return (actor, null!, "", TypedResults.Problem(statusCode: StatusCodes.Status404NotFound,
                title: "Section not edited here", detail: SectionKinds.WhyNotEditable(section), type: ProblemTypes.NotFound));
        }

        if (StaffPurpose.Refusal(call.Purpose, out var purpose) is { } invalid)
        {
            return (actor, kind, "", invalid);
        }

        var grant = await call.Authorizer.AuthorizeAsync(call.Context.User, id, cancellationToken);
        if (grant is not null && grant.Allows(kind.Section))
        {
            return (actor, kind, purpose, null);
        }

        await call.Recorder.RecordAsync(actor, action, "section", $"{id:D}/{kind.Section}", grant?.DwellingId,
            purpose, AccessOutcome.Denied, cancellationToken);
        return (actor, kind, purpose, grant is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Dwelling not found",
                detail: "No dwelling with this id is visible to you.", type: ProblemTypes.NotFound)
            : TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed",
                detail: $"Only the agency that owns the {kind.Section} section edits it.", type: ProblemTypes.Forbidden));
    }

    /// <summary>The version from a strong <c>If-Match: "123"</c>; a weak or list value cannot name one version.</summary>
    private static uint? ExpectedVersion(HttpRequest request)
    {
        var header = request.Headers.IfMatch.ToString().Trim();
        if (header.Length < 3 || header[0] != '"' || header[^1] != '"')
        {
            return null;
        }

        return uint.TryParse(header.AsSpan(1, header.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture,
            out var version) ? version : null;
    }

    /// <summary>The typed-in fields as text, so that the JSON API and the form go through the same checks.</summary>
    private static Dictionary<string, string?>? Parse(SectionKind kind, byte[] body, Dictionary<string, string[]> errors)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors[""] = ["Stuur een JSON-object."];
                return null;
            }

            return kind.EditableFields.ToDictionary(f => f.Name, f => Text(json.RootElement, f.Name), StringComparer.Ordinal);
        }
        catch (JsonException)
        {
            errors[""] = ["De body is geen geldige JSON."];
            return null;
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                JsonValueKind.Null => null,
                _ => "?",
            }
            : null;

    private static string DisplayName(HttpContext context) =>
        context.User.FindFirst(WoningPasClaims.Name)?.Value ?? "onbekend";

    private static ValidationProblem Invalid(SectionKind kind, Dictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: $"The {kind.Section} section is not valid", type: ProblemTypes.Validation);

    private static ProblemHttpResult PreconditionRequired() =>
        TypedResults.Problem(statusCode: StatusCodes.Status428PreconditionRequired, title: "If-Match required",
            detail: "Send the ETag of the version you edited in If-Match, so that a colleague's change is not overwritten.",
            type: ProblemTypes.PreconditionRequired);

    private static ProblemHttpResult NoRecord(SectionKind kind) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Nothing to edit",
            detail: kind.SingleRecord
                ? $"This dwelling has no {kind.Section} record to edit."
                : $"No such {kind.Section} record of this dwelling; the {kind.Section} section holds several, address one at …/records/{{recordId}} (GET …/records lists them).",
            type: ProblemTypes.NotFound);
}
