using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using WoningPas.Api.AccessLog;
using WoningPas.Api.Documents;
using WoningPas.Api.Dwellings;
using WoningPas.Api.Passport;
using WoningPas.Api.Staff;
using WoningPas.Data;
using WoningPas.Data.AccessLog;

namespace WoningPas.Api.Areas.Staff.Pages;

/// <summary>
/// An agency attaches a document to a section it owns, through a form. The multipart body is read as it arrives, part
/// by part and in form order: ownership is checked before a byte is read, the antiforgery token (the first part) before
/// the title, the title before the file, and the file part is handed as a stream to the shared upload pipeline
/// (<see cref="DocumentEndpoints"/>). The automatic antiforgery check and form binding are off because both read the
/// whole form first; the token is validated here instead, before the file is touched.
/// </summary>
[IgnoreAntiforgeryToken]
[StreamedForm]
public sealed class AttachmentModel(WoningPasDbContext db, DwellingAuthorizer authorizer, AccessRecorder recorder,
    IAntiforgery antiforgery, IOptions<AntiforgeryOptions> antiforgeryOptions, IOptions<DocumentOptions> documentOptions)
    : SectionPageModel(db, authorizer, recorder)
{
    public const string TitleField = "titel";
    public const string FileField = "bestand";

    /// <summary>Room for the token, the title and the part headers on top of the document itself.</summary>
    private const long FormOverheadBytes = 32 * 1024;

    private const int MaxTokenChars = 1024;

    private static readonly CultureInfo Belgian = CultureInfo.GetCultureInfo("nl-BE");

    public string? DocumentTitle { get; private set; }

    public string MaxSize => (documentOptions.Value.MaxBytes / (1024.0 * 1024.0)).ToString("0.#", Belgian) + " MB";

    public string FormAction => $"/staff/dossiers/{Id:D}/{Kind.Section}/bijlage?doel={Uri.EscapeDataString(Doel ?? "")}";

    public async Task<IActionResult> OnGetAsync(Guid id, string section, CancellationToken cancellationToken) =>
        await RefuseAsync(id, section, AccessAction.Read, "section", cancellationToken) ?? Page();

    public async Task<IActionResult> OnPostAsync(Guid id, string section, CancellationToken cancellationToken)
    {
        if (await RefuseAsync(id, section, AccessAction.Upload, DocumentEndpoints.ObjectKind, cancellationToken) is { } refusal)
        {
            return refusal;
        }

        var maxBytes = documentOptions.Value.MaxBytes;
        if (HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = maxBytes + FormOverheadBytes;
        }

        if (Request.ContentLength > maxBytes + FormOverheadBytes)
        {
            return Refused(StatusCodes.Status413PayloadTooLarge, TooLargeMessage());
        }

        if (!MediaTypeHeaderValue.TryParse(Request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 and <= 70 } boundary)
        {
            return BadRequest();
        }

        var reader = new MultipartReader(boundary, Request.Body) { HeadersCountLimit = 4, HeadersLengthLimit = 4 * 1024 };
        try
        {
            // The token first: nothing after it is read unless it matches the antiforgery cookie of this session.
            var token = await NextFieldAsync(reader, antiforgeryOptions.Value.FormFieldName, MaxTokenChars, cancellationToken);
            if (string.IsNullOrEmpty(token) || !await IsValidTokenAsync(token))
            {
                return BadRequest();
            }

            DocumentTitle = await NextFieldAsync(reader, TitleField, DocumentEndpoints.MaxTitleLength * 2, cancellationToken);
            var titleError = TitleError(DocumentTitle);
            if (titleError is not null)
            {
                Errors[TitleField] = [titleError];
                return Refused(StatusCodes.Status400BadRequest, null);
            }

            var file = await reader.ReadNextSectionAsync(cancellationToken);
            var fileName = file is null ? null : FileNameOf(file, FileField);
            if (file is null || string.IsNullOrEmpty(fileName))
            {
                return Refused(StatusCodes.Status400BadRequest, "Kies het bestand dat u wilt toevoegen.");
            }

            var result = await DocumentEndpoints.ReceiveAsync(HttpContext, file.Body,
                new UploadTarget(id, DocumentTitle!, fileName, Editor, Doel!, Kind.Section, Editor.Organisation), cancellationToken);
            return result switch
            {
                Created<DocumentView> created => LocalRedirect(
                    $"{DossierPath}&toegevoegd={created.Value!.Id:D}#bijlage-{created.Value.Id:D}"),
                ProblemHttpResult problem => Refused(problem.StatusCode, Explain(problem.ProblemDetails.Type)),
                _ => Refused(StatusCodes.Status400BadRequest, "Het bestand is niet opgeslagen."),
            };
        }
        catch (InvalidDataException)
        {
            // A malformed multipart body (wrong order, oversized part headers): no browser sends that.
            return BadRequest();
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Refused(StatusCodes.Status413PayloadTooLarge, TooLargeMessage());
        }
    }

    /// <summary>
    /// The token read from the form, checked by the antiforgery service through its request header: with the header
    /// present the service never reads the form. Whatever the client sent in that header is replaced, so the decision
    /// rests on the form field alone.
    /// </summary>
    private async Task<bool> IsValidTokenAsync(string token)
    {
        if (antiforgeryOptions.Value.HeaderName is not { Length: > 0 } header)
        {
            return false;
        }

        Request.Headers[header] = token;
        try
        {
            await antiforgery.ValidateRequestAsync(HttpContext);
            return true;
        }
        catch (AntiforgeryValidationException)
        {
            return false;
        }
        finally
        {
            // Nothing later (logging, diagnostics) sees the token as a header.
            Request.Headers.Remove(header);
        }
    }

    private PageResult Refused(int status, string? fileMessage)
    {
        if (fileMessage is not null)
        {
            Errors[FileField] = [fileMessage];
        }

        Response.StatusCode = status;
        return Page();
    }

    private string TooLargeMessage() =>
        $"Het bestand is te groot: een bijlage is hoogstens {MaxSize}. Er is niets opgeslagen.";

    private string Explain(string? problemType) => problemType switch
    {
        DocumentProblemTypes.Malware =>
            "De virusscanner vond schadelijke inhoud in het bestand. Er is niets opgeslagen.",
        DocumentProblemTypes.NotScanned =>
            "Het bestand kon niet op virussen gecontroleerd worden omdat de virusscanner niet bereikbaar is. " +
            "Er is niets opgeslagen; probeer het later opnieuw.",
        DocumentProblemTypes.UnsupportedType =>
            "Alleen PDF-, JPEG- en PNG-bestanden worden aanvaard; het type volgt uit de inhoud, niet uit de naam. " +
            "Er is niets opgeslagen.",
        DocumentProblemTypes.ActiveContent =>
            "De PDF bevat actieve inhoud (JavaScript, een startactie of ingebedde bestanden). Bewaar of druk hem af " +
            "als gewone PDF en probeer opnieuw. Er is niets opgeslagen.",
        DocumentProblemTypes.NotInspectable =>
            "De PDF kon niet volledig gecontroleerd worden (te complex, beschadigd of met een wachtwoord beveiligd). " +
            "Bewaar of druk hem af als gewone PDF en probeer opnieuw. Er is niets opgeslagen.",
        DocumentProblemTypes.TooLarge => TooLargeMessage(),
        _ => "Het bestand is niet opgeslagen.",
    };

    private static string? TitleError(string? title)
    {
        if (string.IsNullOrWhiteSpace(title))
        {
            return "Geef een titel op.";
        }

        if (title.Trim().Length > DocumentEndpoints.MaxTitleLength)
        {
            return $"De titel is hoogstens {DocumentEndpoints.MaxTitleLength} tekens lang.";
        }

        return title.Any(char.IsControl) ? "De titel mag geen stuurtekens bevatten." : null;
    }

    /// <summary>
    /// The next part, which must be the form field <paramref name="name"/>; its value, cut off (and so refused by the
    /// caller's length check) past <paramref name="maxChars"/>, so that a field is never read whole into memory.
    /// </summary>
    private static async Task<string?> NextFieldAsync(MultipartReader reader, string name, int maxChars,
        CancellationToken cancellationToken)
    {
        var section = await reader.ReadNextSectionAsync(cancellationToken);
        if (section is null || !ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
            || !disposition.IsFormDisposition() || disposition.IsFileDisposition()
            || HeaderUtilities.RemoveQuotes(disposition.Name).Value != name)
        {
            return null;
        }

        using var text = new StreamReader(section.Body, Encoding.UTF8, detectEncodingFromByteOrderMarks: false,
            bufferSize: 1024, leaveOpen: true);
        var buffer = new char[maxChars + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await text.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }

        return new string(buffer, 0, length);
    }

    private static string? FileNameOf(MultipartSection section, string name) =>
        ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
        && disposition.IsFileDisposition() && HeaderUtilities.RemoveQuotes(disposition.Name).Value == name
            ? HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value
            : null;
}
