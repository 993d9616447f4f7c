using Microsoft.AspNetCore.Mvc;
using WoningPas.Api.AccessLog;
using WoningPas.Api.Dwellings;
using WoningPas.Api.Infrastructure;
using WoningPas.Api.Staff;
using WoningPas.Data;
using WoningPas.Data.AccessLog;

namespace WoningPas.Api.Areas.Staff.Pages;

/// <summary>
/// An agency edits one record of a section it owns. The form carries the row version it was based on; a save on top
/// of a colleague's newer save is refused and the page shows what they changed meanwhile, keeping the editor's input.
/// The fields, their checks and messages come from the section's <see cref="SectionKind"/>.
/// </summary>
public sealed class SectionModel(WoningPasDbContext db, DwellingAuthorizer authorizer, AccessRecorder recorder,
    SectionEditor editor, TimeProvider time) : SectionPageModel(db, authorizer, recorder)
{
    private readonly AccessRecorder _recorder = recorder;

    [BindProperty]
    public uint Version { get; set; }

    /// <summary>The newest version row when the form was opened: what was saved after it is what changed meanwhile.</summary>
    [BindProperty]
    public long SeenVersionId { get; set; }

    /// <summary>What the form shows in each typed-in field: the stored value, or the editor's input after a refusal.</summary>
    public Dictionary<string, string?> Input { get; } = new(StringComparer.Ordinal);

    public SectionState? Current { get; private set; }

    public bool Saved { get; private set; }

    public IReadOnlyList<SectionVersionView>? ChangedMeanwhile { get; private set; }

    public IReadOnlyList<FieldDifference> YourInputAgainstCurrent { get; private set; } = [];

    public string? ValueOf(string field) => Input.GetValueOrDefault(field);

    public async Task<IActionResult> OnGetAsync(Guid id, string section, Guid? recordId, CancellationToken cancellationToken)
    {
        if (await RefuseAsync(id, section, AccessAction.Read, "section", cancellationToken) is { } refusal)
        {
            return refusal;
        }

        Current = await editor.ReadAsync(Kind, id, recordId, cancellationToken);
        if (Current is null)
        {
            return NotFound();
        }

        await _recorder.RecordAsync(Editor, AccessAction.Read, "section", $"{id:D}/{Kind.Section}", id, Doel!,
            AccessOutcome.Allowed, cancellationToken);
        Fill(Current);
        SeenVersionId = await editor.LatestVersionIdAsync(Kind, id, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, string section, Guid? recordId, CancellationToken cancellationToken)
    {
        if (await RefuseAsync(id, section, AccessAction.Edit, "section", cancellationToken) is { } refusal)
        {
            return refusal;
        }

        foreach (var field in Kind.EditableFields)
        {
            // An unticked checkbox sends nothing: for a yes/no field that is "no".
            Input[field.Name] = Request.Form.TryGetValue(field.Name, out var value)
                ? value.ToString()
                : field.Format == FieldFormat.YesNo ? "false" : null;
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var values = Kind.Validate(Input, time.Today(), errors);
        Current = await editor.ReadAsync(Kind, id, recordId, cancellationToken);
        if (Current is null)
        {
            return NotFound();
        }

        if (values is null)
        {
            Errors = errors;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        switch (await editor.SaveAsync(Kind, Editor, EditorName, id, Current.RecordId, Version, values, Doel!, cancellationToken))
        {
            case SectionSaveResult.Saved saved:
                Current = saved.State;
                Saved = true;
                Fill(saved.State);
                SeenVersionId = saved.VersionId;
                return Page();
            case SectionSaveResult.Stale stale:
                Current = stale.Current;
                ChangedMeanwhile = [.. (await editor.HistoryAsync(Kind, id, cancellationToken))
                    .Where(v => v.Id > SeenVersionId && v.RecordId == stale.Current.RecordId).Reverse()];
                YourInputAgainstCurrent = Kind.InputDifferences(stale.Current.Values, values);
                // The editor's input stays in the form; the new version lets them save it deliberately.
                Version = stale.Current.Version;
                SeenVersionId = await editor.LatestVersionIdAsync(Kind, id, cancellationToken);
                Response.StatusCode = StatusCodes.Status409Conflict;
                return Page();
            case SectionSaveResult.Invalid invalid:
                Errors = invalid.Errors;
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
            default:
                return NotFound();
        }
    }

    private void Fill(SectionState state)
    {
        Version = state.Version;
        foreach (var field in Kind.EditableFields)
        {
            Input[field.Name] = SectionKind.InputValue(field, state.Values);
        }
    }
}
