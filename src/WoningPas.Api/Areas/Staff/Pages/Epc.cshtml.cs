using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using WoningPas.Api.AccessLog;
using WoningPas.Api.Dwellings;
using WoningPas.Api.Infrastructure;
using WoningPas.Api.Staff;
using WoningPas.Data;
using WoningPas.Data.AccessLog;

namespace WoningPas.Api.Areas.Staff.Pages;

public sealed record EpcField(string Name, string Label, string Hint, string Type);

/// <summary>
/// The energy agency edits a dwelling's EPC. The form carries the row version it was based on; a save on top of a
/// colleague's newer save is refused and the page shows what they changed meanwhile, keeping the editor's input.
/// </summary>
public sealed class EpcModel(WoningPasDbContext db, DwellingAuthorizer authorizer, AccessRecorder recorder,
    EpcEditor editor, TimeProvider time) : StaffPageModel
{
    public static IReadOnlyList<EpcField> Fields { get; } =
    [
        new(EpcInput.SourceReferenceField, "Certificaatnummer", "Het nummer van het energieagentschap, bijvoorbeeld EPC-2019-0001234.", "text"),
        new(EpcInput.PrimaryEnergyUseField, "Primair energieverbruik (kWh/m² per jaar)", "Een getal met hoogstens één cijfer na de komma, bijvoorbeeld 245,5.", "text"),
        new(EpcInput.IssuedOnField, "Datum van uitreiking", "Niet in de toekomst en niet vóór 1 november 2008.", "date"),
    ];

    public Guid Id { get; private set; }

    [BindProperty(SupportsGet = true, Name = "doel")]
    public string? Doel { get; set; }

    [BindProperty]
    public uint Version { get; set; }

    /// <summary>The newest version row when the form was opened: what was saved after it is what changed meanwhile.</summary>
    [BindProperty]
    public long SeenVersionId { get; set; }

    [BindProperty(Name = EpcInput.SourceReferenceField)]
    public string? SourceReference { get; set; }

    [BindProperty(Name = EpcInput.PrimaryEnergyUseField)]
    public string? PrimaryEnergyUse { get; set; }

    [BindProperty(Name = EpcInput.IssuedOnField)]
    public string? IssuedOn { get; set; }

    public string Address { get; private set; } = "";

    public EpcState? Current { get; private set; }

    public bool Saved { get; private set; }

    public IReadOnlyList<SectionVersionView>? ChangedMeanwhile { get; private set; }

    public IReadOnlyList<FieldDifference> YourInputAgainstCurrent { get; private set; } = [];

    public string? ValueOf(string field) => field switch
    {
        EpcInput.SourceReferenceField => SourceReference,
        EpcInput.PrimaryEnergyUseField => PrimaryEnergyUse,
        _ => IssuedOn,
    };

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await RefuseAsync(id, AccessAction.Read, cancellationToken) is { } refusal)
        {
            return refusal;
        }

        Current = await editor.ReadAsync(id, cancellationToken);
        if (Current is null)
        {
            return NotFound();
        }

        await recorder.RecordAsync(Editor, AccessAction.Read, "section", $"{id:D}/{EpcEditor.Section}", id, Doel!,
            AccessOutcome.Allowed, cancellationToken);
        Fill(Current);
        SeenVersionId = await LatestVersionIdAsync(id, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await RefuseAsync(id, AccessAction.Edit, cancellationToken) is { } refusal)
        {
            return refusal;
        }

        var values = EpcInput.Validate(SourceReference, PrimaryEnergyUse, IssuedOn, time.Today(), out var errors);
        Current = await editor.ReadAsync(id, cancellationToken);
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

        switch (await editor.SaveAsync(Editor, EditorName, id, Version, values, Doel!, cancellationToken))
        {
            case EpcSaveResult.Saved saved:
                Current = saved.State;
                Saved = true;
                Fill(saved.State);
                SeenVersionId = saved.VersionId;
                return Page();
            case EpcSaveResult.Stale stale:
                Current = stale.Current;
                ChangedMeanwhile = [.. (await editor.HistoryAsync(id, cancellationToken)).Where(v => v.Id > SeenVersionId).Reverse()];
                YourInputAgainstCurrent = values.DifferencesFrom(stale.Current.Values);
                // The editor's input stays in the form; the new version lets them save it deliberately.
                Version = stale.Current.Version;
                SeenVersionId = await LatestVersionIdAsync(id, cancellationToken);
                Response.StatusCode = StatusCodes.Status409Conflict;
                return Page();
            case EpcSaveResult.Invalid invalid:
                Errors = invalid.Errors;
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
            default:
                return NotFound();
        }
    }

    private async Task<IActionResult?> RefuseAsync(Guid id, AccessAction action, CancellationToken cancellationToken)
    {
        Id = id;
        Doel = string.IsNullOrWhiteSpace(Doel) ? DwellingAuthorizer.AgencyPurpose : Doel.Trim();
        var grant = await authorizer.AuthorizeAsync(User, id, cancellationToken);
        if (grant is null || !grant.Allows(EpcEditor.Section))
        {
            await recorder.RecordAsync(Editor, action, "section", $"{id:D}/{EpcEditor.Section}", grant?.DwellingId, Doel,
                AccessOutcome.Denied, cancellationToken);
            return grant is null ? NotFound() : StatusCode(StatusCodes.Status403Forbidden);
        }

        Address = await db.Dwellings.Where(d => d.Id == id).Select(d => d.Address.Label).SingleAsync(cancellationToken);
        return null;
    }

    private void Fill(EpcState state)
    {
        Version = state.Version;
        SourceReference = state.Values.SourceReference;
        PrimaryEnergyUse = EpcInput.Format(state.Values.PrimaryEnergyUse);
        IssuedOn = state.Values.IssuedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    private async Task<long> LatestVersionIdAsync(Guid id, CancellationToken cancellationToken) =>
        await db.SectionVersions.Where(v => v.DwellingId == id && v.Section == EpcEditor.Section)
            .MaxAsync(v => (long?)v.Id, cancellationToken) ?? 0;
}
