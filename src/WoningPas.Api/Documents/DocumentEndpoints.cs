using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using WoningPas.Api.AccessLog;
using WoningPas.Api.Account;
using WoningPas.Api.Dwellings;
using WoningPas.Api.Infrastructure;
using WoningPas.Api.Passport;
using WoningPas.Data;
using WoningPas.Data.AccessLog;
using WoningPas.Data.Encryption;
using WoningPas.Data.Sections;

namespace WoningPas.Api.Documents;

/// <summary>Who uploads what to which dwelling, as the caller authorised it; section and organisation for a staff attachment.</summary>
internal sealed record UploadTarget(Guid DwellingId, string Title, string? FileName, Actor Actor, string Purpose,
    string? Section, string? Organisation);

/// <summary>
/// A holder's own documents on a dwelling they hold a right on today: upload (raw body, checked before anything is
/// stored), download (only here, after authorisation, recorded before the bytes leave) and delete. The list is the
/// passport's documents section. docs/uploads.md describes the pipeline and why each check is there.
/// </summary>
public static class DocumentEndpoints
{
    public const string ObjectKind = "document";
    public const int MaxTitleLength = 200;

    public static WebApplicationBuilder AddDocuments(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DocumentOptions>().BindConfiguration(DocumentOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<DocumentOptions>, DocumentOptionsValidation>();
        builder.Services.AddSingleton<ClamdScanner>();
        return builder;
    }

    public static IEndpointRouteBuilder MapDocuments(this IEndpointRouteBuilder routes)
    {
        var documents = routes.MapGroup("/api/dwellings/{id:guid}/documents")
            .RequireAuthorization(Authentication.CitizenPolicy);
        documents.MapPost("/", UploadAsync).WithMetadata(new OwnBodyLimit());
        documents.MapGet("/{documentId:guid}", DownloadAsync);
        documents.MapDelete("/{documentId:guid}", DeleteAsync);
        return routes;
    }

    /// <summary>
    /// The body is the document itself (any Content-Type; it is ignored), the title and the original file name come
    /// in the query: <c>POST /api/dwellings/{id}/documents?title=Factuur&amp;fileName=factuur.pdf</c>.
    /// </summary>
    private static async Task<IResult> UploadAsync(Guid id, string? title, string? fileName, HttpContext context,
        WoningPasDbContext db, AccessRecorder recorder, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = Validate(title, fileName);
        if (errors.Count > 0)
        {
            return Incomplete(errors);
        }

        var actor = DwellingEndpoints.RequireActor(context);
        var today = time.Today();
        if (!await db.Dwellings.HeldBy(actor.SubjectId, today).AnyAsync(d => d.Id == id, cancellationToken))
        {
            await recorder.RecordAsync(actor, AccessAction.Upload, ObjectKind, $"{id:D}/new", null,
                DwellingEndpoints.OwnDossierPurpose, AccessOutcome.Denied, cancellationToken);
            return DwellingNotFound();
        }

        return await ReceiveAsync(context, new UploadTarget(id, title!, fileName, actor,
            DwellingEndpoints.OwnDossierPurpose, null, null), cancellationToken);
    }

    /// <summary>
    /// The one upload pipeline, after the caller has authorised the upload: receive the body into the spool (size
    /// limit), scan, type by magic bytes, PDF active content, then store metadata, encrypted content and the access-log
    /// entry together. Holders' documents and staff attachments both come here; a refusal stores nothing.
    /// </summary>
    internal static async Task<IResult> ReceiveAsync(HttpContext context, UploadTarget target,
        CancellationToken cancellationToken)
    {
        var settings = context.RequestServices.GetRequiredService<IOptions<DocumentOptions>>().Value;
        // Kestrel enforces the limit too, on the bytes actually received; a declared length over it is refused
        // before a byte of the body is read.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = settings.MaxBytes;
        }

        if (context.Request.ContentLength > settings.MaxBytes)
        {
            return TooLarge(context, settings.MaxBytes);
        }

        return await ReceiveAsync(context, context.Request.Body, target, cancellationToken);
    }

    /// <summary>
    /// The pipeline on a stream that is the document alone, such as the file part of the back office's multipart
    /// form; the caller has set the request's own limits, the size limit here counts the document's bytes.
    /// </summary>
    internal static async Task<IResult> ReceiveAsync(HttpContext context, Stream content, UploadTarget target,
        CancellationToken cancellationToken)
    {
        var services = context.RequestServices;
        var settings = services.GetRequiredService<IOptions<DocumentOptions>>().Value;
        var db = services.GetRequiredService<WoningPasDbContext>();
        var time = services.GetRequiredService<TimeProvider>();
        UploadSpool? spool;
        try
        {
            spool = await UploadSpool.ReceiveAsync(content, settings.MaxBytes, settings.SpoolDirectory,
                cancellationToken);
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            spool = null;
        }

        if (spool is null)
        {
            return TooLarge(context, settings.MaxBytes);
        }

        await using (spool)
        {
            var refusal = await CheckAsync(spool, services.GetRequiredService<ClamdScanner>(), settings, cancellationToken);
            if (refusal is not null)
            {
                // The reason and the dwelling, never the name or the bytes: both may be personal.
                services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DocumentEndpoints))
                    .LogWarning("Upload to dwelling {DwellingId} refused: {Type}", target.DwellingId, refusal.ProblemDetails.Type);
                return refusal;
            }

            var type = DocumentType.Detect(spool.Head)!;
            var document = new OwnerDocument
            {
                Id = Guid.CreateVersion7(),
                DwellingId = target.DwellingId,
                Title = target.Title.Trim(),
                FileName = SafeFileName(target.FileName, type),
                ContentType = type.MediaType,
                SizeBytes = spool.Length,
                UploadedBy = target.Actor.SubjectId,
                UploadedAt = time.GetUtcNow(),
                Section = target.Section,
                Organisation = target.Organisation,
            };

            // Metadata, content and the access-log entry succeed together or not at all: the entry is committed (by
            // the log writer) before this transaction, so a stored document always has its upload on record.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            db.OwnerDocuments.Add(document);
            await db.SaveChangesAsync(cancellationToken);
            await DocumentContentStore.WriteAsync(db, transaction, services.GetRequiredService<KeyRingCache>(),
                document.Id, spool.Rewind(), spool.Length, spool.Sha256, cancellationToken);
            await services.GetRequiredService<AccessRecorder>().RecordAsync(target.Actor, AccessAction.Upload, ObjectKind,
                document.Id.ToString("D"), target.DwellingId, target.Purpose, AccessOutcome.Allowed, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            await services.GetRequiredService<PassportCache>().CatchUpAsync(db, cancellationToken);

            return TypedResults.Created($"/api/dwellings/{target.DwellingId:D}/documents/{document.Id:D}",
                new DocumentView(document.Id, document.Title, document.FileName, document.ContentType,
                    document.SizeBytes, document.UploadedAt, document.Section, document.Organisation));
        }
    }

    /// <summary>
    /// The checks in order: the virus scanner first, so that known malware is reported as such whatever its type;
    /// then the type by magic bytes; then, for a PDF, active content. The first refusal wins.
    /// </summary>
    private static async Task<ProblemHttpResult?> CheckAsync(UploadSpool spool, ClamdScanner scanner,
        DocumentOptions settings, CancellationToken cancellationToken)
    {
        var scan = await scanner.ScanAsync(spool.Rewind(), cancellationToken);
        switch (scan.Verdict)
        {
            case ScanVerdict.Unscanned:
                return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable,
                    title: "The document could not be scanned",
                    detail: $"The document could not be scanned for viruses ({scan.Detail}), so it was not stored. " +
                            "Try again later.",
                    type: DocumentProblemTypes.NotScanned);
            case ScanVerdict.Infected:
                return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity,
                    title: "The document contains malware",
                    detail: $"The virus scanner found {scan.Detail}; the document was not stored.",
                    type: DocumentProblemTypes.Malware);
            case ScanVerdict.Clean:
                break;
        }

        var type = DocumentType.Detect(spool.Head);
        if (type is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Only PDF, JPEG and PNG documents are accepted",
                detail: $"The content is {DocumentType.Describe(spool.Head)}, whatever its name or Content-Type says; " +
                        "only PDF, JPEG and PNG are accepted.",
                type: DocumentProblemTypes.UnsupportedType);
        }

        if (type == DocumentType.Pdf)
        {
            var inspection = await PdfActiveContent.InspectAsync(spool.File, PdfInspectionLimits.From(settings),
                cancellationToken);
            if (inspection.ActiveFeature is { } feature)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity,
                    title: "The PDF contains active content",
                    detail: $"The PDF contains {feature}, which is not accepted; save or print it as a plain PDF and try again.",
                    type: DocumentProblemTypes.ActiveContent);
            }

            if (!inspection.IsClean)
            {
                // Refused, not stored half inspected; the reason code lets the pages say which limit it met.
                return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity,
                    title: "The PDF could not be inspected",
                    detail: $"The PDF could not be inspected completely: {inspection.UninspectableReason}. Save or " +
                            "print it as a plain PDF and try again.",
                    type: DocumentProblemTypes.NotInspectable,
                    extensions: new Dictionary<string, object?>(StringComparer.Ordinal) { ["reason"] = inspection.ReasonCode });
            }
        }

        return null;
    }

    private static async Task<IResult> DownloadAsync(Guid id, Guid documentId, HttpContext context, WoningPasDbContext db,
        AccessRecorder recorder, TimeProvider time, CancellationToken cancellationToken)
    {
        var actor = DwellingEndpoints.RequireActor(context);
        var today = time.Today();
        var document = await db.Dwellings.HeldBy(actor.SubjectId, today).Where(d => d.Id == id)
            .SelectMany(d => db.OwnerDocuments.Where(o => o.DwellingId == d.Id && o.Id == documentId))
            .Where(o => db.DocumentContents.Any(c => c.DocumentId == o.Id))
            .Select(o => new { o.FileName, o.ContentType, o.SizeBytes })
            .SingleOrDefaultAsync(cancellationToken);

        // Recorded before a byte leaves; a refusal is recorded without the dwelling, as for the passport.
        await recorder.RecordAsync(actor, AccessAction.Download, ObjectKind, documentId.ToString("D"),
            document is null ? null : id, DwellingEndpoints.OwnDossierPurpose,
            document is null ? AccessOutcome.Denied : AccessOutcome.Allowed, cancellationToken);
        if (document is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Document not found",
                detail: "No document with this id is visible to you.", type: ProblemTypes.NotFound);
        }

        return new DocumentDownload(documentId, document.ContentType, document.FileName, document.SizeBytes);
    }

    private static async Task<IResult> DeleteAsync(Guid id, Guid documentId, HttpContext context, WoningPasDbContext db,
        AccessRecorder recorder, PassportCache passports, TimeProvider time, CancellationToken cancellationToken)
    {
        var actor = DwellingEndpoints.RequireActor(context);
        var today = time.Today();
        var document = await db.Dwellings.HeldBy(actor.SubjectId, today).Where(d => d.Id == id)
            .SelectMany(d => db.OwnerDocuments.Where(o => o.DwellingId == d.Id && o.Id == documentId))
            .Select(o => new { o.UploadedBy })
            .SingleOrDefaultAsync(cancellationToken);
        var allowed = document is not null && document.UploadedBy == actor.SubjectId;

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await recorder.RecordAsync(actor, AccessAction.Delete, ObjectKind, documentId.ToString("D"),
            document is null ? null : id, DwellingEndpoints.OwnDossierPurpose,
            allowed ? AccessOutcome.Allowed : AccessOutcome.Denied, cancellationToken);
        if (document is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Document not found",
                detail: "No document with this id is visible to you.", type: ProblemTypes.NotFound);
        }

        if (!allowed)
        {
            // A co-holder sees the document in the passport, so saying why is no leak.
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden,
                title: "Only the uploader can delete this document",
                detail: "A document can be deleted by the holder who uploaded it.", type: DocumentProblemTypes.NotUploader);
        }

        // The content goes with the metadata (ON DELETE CASCADE).
        await db.OwnerDocuments.Where(o => o.Id == documentId).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await passports.CatchUpAsync(db, cancellationToken);
        return TypedResults.NoContent();
    }

    internal static ValidationProblem Incomplete(Dictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, type: ProblemTypes.Validation,
            title: "The upload is incomplete", detail: "Nothing was read or stored; see errors.");

    internal static Dictionary<string, string[]> Validate(string? title, string? fileName)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(title))
        {
            errors["title"] = ["A title is required (query parameter title)."];
        }
        else if (title.Trim().Length > MaxTitleLength)
        {
            errors["title"] = [$"The title is at most {MaxTitleLength} characters."];
        }
        else if (title.Any(char.IsControl))
        {
            errors["title"] = ["The title cannot contain control characters."];
        }

        if (fileName is { Length: > 255 })
        {
            errors["fileName"] = ["The file name is at most 255 characters."];
        }

        return errors;
    }

    /// <summary>
    /// The uploader's name without any path, reduced to letters, digits and a few safe marks, with the extension of the
    /// type the content really is: a name can never make a download open as something else.
    /// </summary>
    internal static string SafeFileName(string? given, DocumentType type)
    {
        var name = (given ?? string.Empty).Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..];
        var dot = name.LastIndexOf('.');
        var stem = dot > 0 ? name[..dot] : name;
        var safe = new StringBuilder(stem.Length);
        foreach (var c in stem.Normalize(NormalizationForm.FormC))
        {
            safe.Append(char.IsLetterOrDigit(c) || c is ' ' or '-' or '_' or '(' or ')' ? c : '_');
        }

        var result = safe.ToString().Trim(' ', '_', '.');
        if (result.Length > 100)
        {
            result = result[..100];
        }

        return (result.Length == 0 ? "document" : result) + type.Extension;
    }

    private static ProblemHttpResult TooLarge(HttpContext context, long maxBytes)
    {
        // The rest of the body is not read: close the connection instead of draining it.
        context.Response.Headers.Connection = "close";
        return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The document is too large",
            detail: string.Create(CultureInfo.InvariantCulture,
                $"A document can be at most {maxBytes / (1024.0 * 1024.0):0.#} MiB ({maxBytes} bytes)."),
            type: DocumentProblemTypes.TooLarge,
            // The limit as a number too, so that a client can say it in its own language.
            extensions: new Dictionary<string, object?>(StringComparer.Ordinal) { ["maxBytes"] = maxBytes });
    }

    private static ProblemHttpResult DwellingNotFound() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Dwelling not found",
            detail: "No dwelling with this id is visible to you.", type: ProblemTypes.NotFound);

    /// <summary>
    /// Streams a stored document as an attachment that no browser renders in the Api's origin: attachment with a
    /// safe name, the stored type, nosniff and a sandboxing CSP in case it is opened anyway.
    /// </summary>
    private sealed class DocumentDownload(Guid documentId, string contentType, string fileName, long length) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.ContentType = contentType;
            response.ContentLength = length;
            var disposition = new ContentDispositionHeaderValue("attachment");
            disposition.SetHttpFileName(fileName);
            response.Headers.ContentDisposition = disposition.ToString();
            response.Headers.XContentTypeOptions = "nosniff";
            response.Headers.CacheControl = "private, no-store";
            response.Headers.ContentSecurityPolicy = "sandbox; default-src 'none'";

            var db = httpContext.RequestServices.GetRequiredService<WoningPasDbContext>();
            try
            {
                await DocumentContentStore.CopyToAsync(db, httpContext.RequestServices.GetRequiredService<KeyRingCache>(),
                    documentId, response.Body, httpContext.RequestAborted);
            }
            catch (FieldDecryptionException exception) when (!response.HasStarted)
            {
                httpContext.RequestServices.GetRequiredService<ILogger<DocumentDownload>>()
                    .LogError(exception, "Stored document does not decrypt for document {DocumentId}", documentId);
                response.Clear();
                await TypedResults.Problem(statusCode: StatusCodes.Status500InternalServerError,
                    title: "The document cannot be decrypted",
                    detail: "The stored content does not belong to this document or was altered; nothing was sent.",
                    type: DocumentProblemTypes.Undecryptable).ExecuteAsync(httpContext);
            }
            catch (FieldDecryptionException exception)
            {
                httpContext.RequestServices.GetRequiredService<ILogger<DocumentDownload>>()
                    .LogError(exception, "Stored document failed to decrypt part-way; download aborted");
                httpContext.Abort();
            }
            catch (InvalidDataException exception)
            {
                httpContext.RequestServices.GetRequiredService<ILogger<DocumentDownload>>()
                    .LogError(exception, "Stored document failed its integrity check; download aborted");
                httpContext.Abort();
            }
        }
    }
}
