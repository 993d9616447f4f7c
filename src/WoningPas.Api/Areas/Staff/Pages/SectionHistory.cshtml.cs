using Microsoft.AspNetCore.Mvc;
using WoningPas.Api.AccessLog;
using WoningPas.Api.Dwellings;
using WoningPas.Api.Staff;
using WoningPas.Data;
using WoningPas.Data.AccessLog;

namespace WoningPas.Api.Areas.Staff.Pages;

/// <summary>
/// Every saved version of a section, newest first, with what changed. Undo restores the values from before a version
/// as a new version: history only grows, and an undo can itself be undone.
/// </summary>
public sealed class SectionHistoryModel(WoningPasDbContext db, DwellingAuthorizer authorizer, AccessRecorder recorder,
    SectionEditor editor) : SectionPageModel(db, authorizer, recorder)
{
    private readonly AccessRecorder _recorder = recorder;

    /// <summary>The row version the page showed: an undo on top of a newer save is refused like a stale edit.</summary>
    [BindProperty]
    public uint Version { get; set; }

    /// <summary>The current row version of each record, for the undo buttons.</summary>
    public Dictionary<Guid, uint> CurrentVersions { get; private set; } = [];

    public IReadOnlyList<SectionVersionView> Versions { get; private set; } = [];

    public string? Message { get; private set; }

    public bool IsProblem { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, string section, CancellationToken cancellationToken) =>
        await RefuseAsync(id, section, AccessAction.Read, "section-history", cancellationToken)
        ?? await ShowAsync(id, cancellationToken);

    public async Task<IActionResult> OnPostUndoAsync(Guid id, string section, long versionId,
        CancellationToken cancellationToken)
    {
        if (await RefuseAsync(id, section, AccessAction.Edit, "section-history", cancellationToken) is { } refusal)
        {
            return refusal;
        }

        switch (await editor.UndoAsync(Kind, Editor, EditorName, id, Version, versionId, Doel!, cancellationToken))
        {
            case SectionSaveResult.Saved saved:
                Message = $"Versie {versionId} is ongedaan gemaakt als nieuwe versie {saved.VersionId}.";
                break;
            case SectionSaveResult.Stale:
                Message = $"Iemand anders heeft {Kind.Named} intussen gewijzigd. Er is niets ongedaan gemaakt; bekijk de nieuwe geschiedenis hieronder.";
                IsProblem = true;
                Response.StatusCode = StatusCodes.Status409Conflict;
                break;
            case SectionSaveResult.Invalid:
                Message = "Deze versie kan niet ongedaan worden gemaakt: een ander record heeft intussen het oude nummer.";
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
        CurrentVersions = (await editor.ListAsync(Kind, id, cancellationToken)).ToDictionary(r => r.RecordId, r => r.Version);
        Versions = await editor.HistoryAsync(Kind, id, cancellationToken);
        await _recorder.RecordAsync(Editor, AccessAction.Read, "section-history", $"{id:D}/{Kind.Section}", id, Doel!,
            AccessOutcome.Allowed, cancellationToken);
        return Page();
    }
}
