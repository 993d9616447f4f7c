using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using WoningPas.Api.AccessLog;
using WoningPas.Api.Account;
using WoningPas.Api.Dwellings;
using WoningPas.Api.Infrastructure;
using WoningPas.Data.AccessLog;

namespace WoningPas.Api.Staff;

public sealed record EpcSectionResponse(Guid CertificateId, string ETag, EpcValues Values);

public sealed record EpcHistoryResponse(IReadOnlyList<SectionVersionView> Versions);

/// <summary>
/// The EPC section for software of the energy agency and for scripts: the same rules as the page. A change needs the
/// ETag of the version it was based on in <c>If-Match</c> (428 without it, 412 when someone saved in between), so a
/// colleague's save is never overwritten silently.
/// </summary>
public static class StaffEpcEndpoints
{
    private const int MaxBodyBytes = 4096;

    public static IEndpointRouteBuilder MapStaffEpc(this IEndpointRouteBuilder routes)
    {
        var epc = routes.MapGroup("/api/staff/dwellings/{id:guid}/sections/epc")
            .RequireAuthorization(StaffRegistration.EditorPolicy);
        epc.MapGet("/", GetAsync);
        epc.MapPut("/", PutAsync);
        epc.MapGet("/versions", HistoryAsync);
        epc.MapPost("/versions/{versionId:long}/undo", UndoAsync);
        return routes;
    }

    public static string ETagOf(uint version) => "\"" + version.ToString(CultureInfo.InvariantCulture) + "\"";

    private static async Task<Results<Ok<EpcSectionResponse>, ProblemHttpResult>> GetAsync(Guid id, HttpContext context,
        DwellingAuthorizer authorizer, AccessRecorder recorder, EpcEditor editor, CancellationToken cancellationToken)
    {
        var (actor, refusal) = await AuthorizeAsync(id, context, authorizer, recorder, AccessAction.Read, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var state = await editor.ReadAsync(id, cancellationToken);
        if (state is null)
        {
            return NoEpc();
        }

        await recorder.RecordAsync(actor, AccessAction.Read, "section", $"{id:D}/{EpcEditor.Section}", id,
            DwellingAuthorizer.AgencyPurpose, AccessOutcome.Allowed, cancellationToken);
        context.Response.Headers.ETag = ETagOf(state.Version);
        return TypedResults.Ok(new EpcSectionResponse(state.CertificateId, ETagOf(state.Version), state.Values));
    }

    private static async Task<Results<Ok<EpcSectionResponse>, ValidationProblem, ProblemHttpResult>> PutAsync(Guid id,
        HttpContext context, DwellingAuthorizer authorizer, AccessRecorder recorder, EpcEditor editor, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var (actor, refusal) = await AuthorizeAsync(id, context, authorizer, recorder, AccessAction.Edit, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        if (ExpectedVersion(context.Request) is not { } expected)
        {
            return PreconditionRequired();
        }

        var body = await RequestBodies.ReadBoundedAsync(context.Request, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request too large",
                detail: $"An EPC section is at most {MaxBodyBytes} bytes.", type: ProblemTypes.TooLarge);
        }

        var values = Parse(body, time.Today(), out var errors);
        if (values is null)
        {
            return Invalid(errors);
        }

        var result = await editor.SaveAsync(actor, DisplayName(context), id, expected, values,
            DwellingAuthorizer.AgencyPurpose, cancellationToken);
        return Answer(context, result);
    }

    private static async Task<Results<Ok<EpcHistoryResponse>, ProblemHttpResult>> HistoryAsync(Guid id,
        HttpContext context, DwellingAuthorizer authorizer, AccessRecorder recorder, EpcEditor editor,
        CancellationToken cancellationToken)
    {
        var (actor, refusal) = await AuthorizeAsync(id, context, authorizer, recorder, AccessAction.Read, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var history = await editor.HistoryAsync(id, cancellationToken);
        await recorder.RecordAsync(actor, AccessAction.Read, "section-history", $"{id:D}/{EpcEditor.Section}", id,
            DwellingAuthorizer.AgencyPurpose, AccessOutcome.Allowed, cancellationToken);
        return TypedResults.Ok(new EpcHistoryResponse(history));
    }

    private static async Task<Results<Ok<EpcSectionResponse>, ValidationProblem, ProblemHttpResult>> UndoAsync(Guid id,
        long versionId, HttpContext context, DwellingAuthorizer authorizer, AccessRecorder recorder, EpcEditor editor,
        CancellationToken cancellationToken)
    {
        var (actor, refusal) = await AuthorizeAsync(id, context, authorizer, recorder, AccessAction.Edit, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        if (ExpectedVersion(context.Request) is not { } expected)
        {
            return PreconditionRequired();
        }

        var result = await editor.UndoAsync(actor, DisplayName(context), id, expected, versionId,
            DwellingAuthorizer.AgencyPurpose, cancellationToken);
        return Answer(context, result);
    }

    private static Results<Ok<EpcSectionResponse>, ValidationProblem, ProblemHttpResult> Answer(HttpContext context,
        EpcSaveResult result)
    {
        switch (result)
        {
            case EpcSaveResult.Saved saved:
                context.Response.Headers.ETag = ETagOf(saved.State.Version);
                return TypedResults.Ok(new EpcSectionResponse(saved.State.CertificateId, ETagOf(saved.State.Version),
                    saved.State.Values));
            case EpcSaveResult.Stale stale:
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
            case EpcSaveResult.Invalid invalid:
                return Invalid(invalid.Errors);
            default:
                return NoEpc();
        }
    }

    /// <summary>Editors of another agency see that the dwelling exists (403); an unknown dwelling is a 404.</summary>
    private static async Task<(Actor Actor, ProblemHttpResult? Refusal)> AuthorizeAsync(Guid id, HttpContext context,
        DwellingAuthorizer authorizer, AccessRecorder recorder, AccessAction action, CancellationToken cancellationToken)
    {
        var actor = DwellingEndpoints.RequireActor(context);
        var grant = await authorizer.AuthorizeAsync(context.User, id, cancellationToken);
        if (grant is not null && grant.Allows(EpcEditor.Section))
        {
            return (actor, null);
        }

        await recorder.RecordAsync(actor, action, "section", $"{id:D}/{EpcEditor.Section}", grant?.DwellingId,
            DwellingAuthorizer.AgencyPurpose, AccessOutcome.Denied, cancellationToken);
        return (actor, grant is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Dwelling not found",
                detail: "No dwelling with this id is visible to you.", type: ProblemTypes.NotFound)
            : TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed",
                detail: "Only the energy agency edits the EPC section.", type: ProblemTypes.Forbidden));
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

    private static EpcValues? Parse(byte[] body, DateOnly today, out Dictionary<string, string[]> errors)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors = new Dictionary<string, string[]>(StringComparer.Ordinal) { [""] = ["Stuur een JSON-object."] };
                return null;
            }

            return EpcInput.Validate(Text(json.RootElement, EpcInput.SourceReferenceField),
                Text(json.RootElement, EpcInput.PrimaryEnergyUseField), Text(json.RootElement, EpcInput.IssuedOnField),
                today, out errors);
        }
        catch (JsonException)
        {
            errors = new Dictionary<string, string[]>(StringComparer.Ordinal) { [""] = ["De body is geen geldige JSON."] };
            return null;
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => "?",
            }
            : null;

    private static string DisplayName(HttpContext context) =>
        context.User.FindFirst(WoningPasClaims.Name)?.Value ?? "onbekend";

    private static ValidationProblem Invalid(Dictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "The EPC section is not valid", type: ProblemTypes.Validation);

    private static ProblemHttpResult PreconditionRequired() =>
        TypedResults.Problem(statusCode: StatusCodes.Status428PreconditionRequired, title: "If-Match required",
            detail: "Send the ETag of the version you edited in If-Match, so that a colleague's change is not overwritten.",
            type: ProblemTypes.PreconditionRequired);

    private static ProblemHttpResult NoEpc() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No EPC",
            detail: "This dwelling has no EPC to edit.", type: ProblemTypes.NotFound);
}
