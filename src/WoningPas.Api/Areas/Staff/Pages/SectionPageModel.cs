using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using WoningPas.Api.AccessLog;
using WoningPas.Api.Dwellings;
using WoningPas.Api.Staff;
using WoningPas.Data;
using WoningPas.Data.AccessLog;

namespace WoningPas.Api.Areas.Staff.Pages;

/// <summary>
/// What the edit and history pages of a section share: the section must be one the back office edits and the editor's
/// agency must own it (another agency gets 403, an unknown dwelling or section 404), refusals are access-logged, and
/// every page carries the purpose the dossier was opened with, checked again on every request (400 and the purpose
/// form when it is missing or not valid).
/// </summary>
public abstract class SectionPageModel(WoningPasDbContext db, DwellingAuthorizer authorizer, AccessRecorder recorder)
    : StaffPageModel
{
    public Guid Id { get; private set; }

    public SectionKind Kind { get; private set; } = null!;

    [BindProperty(SupportsGet = true, Name = "doel")]
    public string? Doel { get; set; }

    public string Address { get; private set; } = "";

    /// <summary>The purpose was missing or not valid: the page shows only the purpose form (<c>_PurposeForm</c>).</summary>
    public bool PurposeRefused { get; private set; }

    public string DossierPath => $"/staff/dossiers/{Id:D}?doel={Uri.EscapeDataString(Doel ?? "")}";

    public string HistoryPath => $"/staff/dossiers/{Id:D}/{Kind.Section}/geschiedenis?doel={Uri.EscapeDataString(Doel ?? "")}";

    public string EditPath(Guid recordId) =>
        $"/staff/dossiers/{Id:D}/{Kind.Section}{(Kind.SingleRecord ? "" : "/" + recordId.ToString("D"))}?doel={Uri.EscapeDataString(Doel ?? "")}";

    protected async Task<IActionResult?> RefuseAsync(Guid id, string section, AccessAction action, string objectKind,
        CancellationToken cancellationToken)
    {
        Id = id;
        if (SectionKinds.Find(section) is not { } kind)
        {
            return NotFound();
        }

        Kind = kind;
        // No default: a page opened or posted without a valid purpose asks for one, and reads and writes nothing.
        if (StaffPurpose.Validate(Doel, Errors) is not { } purpose)
        {
            PurposeRefused = true;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        Doel = purpose;
        var grant = await authorizer.AuthorizeAsync(User, id, cancellationToken);
        if (grant is null || !grant.Allows(kind.Section))
        {
            await recorder.RecordAsync(Editor, action, objectKind, $"{id:D}/{kind.Section}", grant?.DwellingId, Doel,
                AccessOutcome.Denied, cancellationToken);
            return grant is null ? NotFound() : StatusCode(StatusCodes.Status403Forbidden);
        }

        Address = await db.Dwellings.Where(d => d.Id == id).Select(d => d.Address.Label).SingleAsync(cancellationToken);
        return null;
    }
}
