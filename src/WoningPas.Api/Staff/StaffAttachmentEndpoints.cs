using WoningPas.Api.AccessLog;
using WoningPas.Api.Documents;
using WoningPas.Api.Dwellings;
using WoningPas.Api.Infrastructure;
using WoningPas.Data.AccessLog;

namespace WoningPas.Api.Staff;

/// <summary>
/// Agency staff attach a document (a certificate PDF) to a section their agency owns:
/// <c>POST /api/staff/dwellings/{id}/sections/{section}/attachments?title=…&amp;fileName=…&amp;purpose=…</c> with the
/// document as the body. It goes through the holders' upload pipeline (<see cref="DocumentEndpoints"/>: streamed, size limit, magic
/// bytes, PDF active content, clamd fail closed, encrypted at rest) and lands in the passport's documents, where the
/// holders list and download it through the existing document endpoints. Only after authorisation is a byte read.
/// </summary>
public static class StaffAttachmentEndpoints
{
    public static IEndpointRouteBuilder MapStaffAttachments(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/staff/dwellings/{id:guid}/sections/{section}/attachments", AttachAsync)
            .RequireAuthorization(StaffRegistration.EditorPolicy)
            .WithMetadata(new OwnBodyLimit());
        return routes;
    }

    private static async Task<IResult> AttachAsync(Guid id, string section, string? title, string? fileName,
        string? purpose, HttpContext context, DwellingAuthorizer authorizer, AccessRecorder recorder,
        CancellationToken cancellationToken)
    {
        var errors = DocumentEndpoints.Validate(title, fileName);
        var why = StaffPurpose.Validate(purpose, errors);
        if (errors.Count > 0 || why is null)
        {
            return DocumentEndpoints.Incomplete(errors);
        }

        var actor = DwellingEndpoints.RequireActor(context);
        if (SectionKinds.Find(section) is not { } kind)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Section not edited here",
                detail: SectionKinds.WhyNotEditable(section), type: ProblemTypes.NotFound);
        }

        var grant = await authorizer.AuthorizeAsync(context.User, id, cancellationToken);
        if (grant is null || !grant.Allows(kind.Section))
        {
            await recorder.RecordAsync(actor, AccessAction.Upload, DocumentEndpoints.ObjectKind, $"{id:D}/{kind.Section}/new",
                grant?.DwellingId, why, AccessOutcome.Denied, cancellationToken);
            return grant is null
                ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Dwelling not found",
                    detail: "No dwelling with this id is visible to you.", type: ProblemTypes.NotFound)
                : TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed",
                    detail: $"Only the agency that owns the {kind.Section} section attaches documents to it.",
                    type: ProblemTypes.Forbidden);
        }

        return await DocumentEndpoints.ReceiveAsync(context, new UploadTarget(id, title!, fileName, actor,
            why, kind.Section, actor.Organisation), cancellationToken);
    }
}
