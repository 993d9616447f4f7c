using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using WoningPas.Api.AccessLog;
using WoningPas.Api.Dwellings;
using WoningPas.Api.Staff;
using WoningPas.Data;
using WoningPas.Data.AccessLog;

namespace WoningPas.Api.Areas.Staff.Pages;

/// <summary>
/// Every saved version of the EPC, newest first, with what changed. Undo restores the values from before a version as
/// a new version: history only grows, and an undo can itself be undone.
/// </summary>
public sealed class EpcHistoryModel(WoningPasDbContext db, DwellingAuthorizer authorizer, AccessRecorder recorder,
    EpcEditor editor) : StaffPageModel
{
    public Guid Id { get; private set; }

    [BindProperty(SupportsGet = true, Name = "doel")]
    public string? Doel { get; set; }

    /// <summary>The row version the page showed: an undo on top of a newer save is refused like a stale edit.</summary>
    [BindProperty]
    public uint Version { get; set; }

    public uint CurrentVersion { get; private set; }

    public string Address { get; private set; } = "";

    public IReadOnlyList<SectionVersionView> Versions { get; private set; } = [];

    public string? Message { get; private set; }

    public bool IsProblem { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await RefuseAsync(id, AccessAction.Read, cancellationToken) ?? await ShowAsync(id, cancellationToken);

    public async Task<IActionResult> OnPostUndoAsync(Guid id, long versionId, CancellationToken cancellationToken)
    {
        if (await RefuseAsync(id, AccessAction.Edit, cancellationToken) is { } refusal)
        {
            return refusal;
        }

        switch (await editor.UndoAsync(Editor, EditorName, id, Version, versionId, Doel!, cancellationToken))
        {
            case EpcSaveResult.Saved saved:
                Message = $"Versie {versionId} is ongedaan gemaakt als nieuwe versie {saved.VersionId}.";
                break;
            case EpcSaveResult.Stale:
                Message = "Iemand anders heeft het EPC intussen gewijzigd. Er is niets ongedaan gemaakt; bekijk de nieuwe geschiedenis hieronder.";
                IsProblem = true;
                Response.StatusCode = StatusCodes.Status409Conflict;
                break;
            case EpcSaveResult.Invalid:
                Message = "Deze versie kan niet ongedaan worden gemaakt: een ander EPC heeft intussen het oude certificaatnummer.";
                IsProblem = true;
                Response.StatusCode = StatusCodes.Status409Conflict;
                break;
            default:
                return NotFound();
        }

        return await ShowAsync(id, cancellationToken);
    }

    private async Task<IActionResult> ShowAsync(Guid id, CancellationToken cancellationToken)
    {
        var current = await editor.ReadAsync(id, cancellationToken);
        if (current is null)
        {
            return NotFound();
        }

        CurrentVersion = current.Version;
        Versions = await editor.HistoryAsync(id, cancellationToken);
        await recorder.RecordAsync(Editor, AccessAction.Read, "section-history", $"{id:D}/{EpcEditor.Section}", id, Doel!,
            AccessOutcome.Allowed, cancellationToken);
        return Page();
    }

    private async Task<IActionResult?> RefuseAsync(Guid id, AccessAction action, CancellationToken cancellationToken)
    {
        Id = id;
        Doel = string.IsNullOrWhiteSpace(Doel) ? DwellingAuthorizer.AgencyPurpose : Doel.Trim();
        var grant = await authorizer.AuthorizeAsync(User, id, cancellationToken);
        if (grant is null || !grant.Allows(EpcEditor.Section))
        {
            await recorder.RecordAsync(Editor, action, "section-history", $"{id:D}/{EpcEditor.Section}", grant?.DwellingId,
                Doel, AccessOutcome.Denied, cancellationToken);
            return grant is null ? NotFound() : StatusCode(StatusCodes.Status403Forbidden);
        }

        Address = await db.Dwellings.Where(d => d.Id == id).Select(d => d.Address.Label).SingleAsync(cancellationToken);
        return null;
    }
}
