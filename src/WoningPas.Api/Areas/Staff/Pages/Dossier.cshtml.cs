using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using WoningPas.Api.AccessLog;
using WoningPas.Api.Dwellings;
using WoningPas.Api.Infrastructure;
using WoningPas.Api.Passport;
using WoningPas.Api.Registries;
using WoningPas.Api.Reports;
using WoningPas.Api.Staff;
using WoningPas.Data;
using WoningPas.Data.AccessLog;
using WoningPas.Data.BackOffice;
using WoningPas.Data.Sections;
using WoningPas.Domain;

namespace WoningPas.Api.Areas.Staff.Pages;

/// <summary>An owned section the back office does not edit, with the reason in Dutch.</summary>
public sealed record SectionSummary(string Name, SectionStatus Status, string Why);

/// <summary>An owned section the back office edits, with its records as they are now.</summary>
public sealed record EditableSection(SectionKind Kind, SectionStatus Status, IReadOnlyList<SectionState> Records);

/// <summary>
/// One dwelling's dossier as an agency editor sees it: only the sections the agency owns. Opening it needs a purpose,
/// and the read is in the access log, with that purpose, before the page is rendered.
/// </summary>
public sealed class DossierModel(WoningPasDbContext db, DwellingAuthorizer authorizer, AccessRecorder recorder,
    PassportRegistries registries, SectionEditor editor, TimeProvider time) : StaffPageModel
{
    [BindProperty(SupportsGet = true, Name = "doel")]
    public string? Doel { get; set; }

    public PassportView? Passport { get; private set; }

    public DwellingGrant? Grant { get; private set; }

    public IReadOnlyList<EditableSection> Editable { get; private set; } = [];

    public IReadOnlyList<SectionSummary> OtherSections { get; private set; } = [];

    /// <summary>The documents staff attached to the sections this agency owns.</summary>
    public IReadOnlyList<OwnerDocument> Attachments { get; private set; } = [];

    public int OpenReports { get; private set; }

    /// <summary>The attachment the upload form just stored, confirmed after its redirect here.</summary>
    [BindProperty(SupportsGet = true, Name = "toegevoegd")]
    public Guid? Added { get; set; }

    public OwnerDocument? AddedAttachment => Attachments.FirstOrDefault(a => a.Id == Added);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (Doel is null)
        {
            return Page();
        }

        if (StaffPurpose.Validate(Doel, Errors) is not { } purpose)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        Doel = purpose;
        var grant = await authorizer.AuthorizeAsync(User, id, cancellationToken);
        if (grant is null || grant.Sections.Count == 0)
        {
            await recorder.RecordAsync(Editor, AccessAction.Read, "dossier", id.ToString("D"), grant?.DwellingId, Doel,
                AccessOutcome.Denied, cancellationToken);
            return grant is null ? NotFound() : StatusCode(StatusCodes.Status403Forbidden);
        }

        Grant = grant with { Purpose = Doel };
        var row = await PassportReader.ReadAsync(db, id, cancellationToken);
        if (row is null)
        {
            return NotFound();
        }

        await recorder.RecordAsync(Editor, AccessAction.Read, "dossier", id.ToString("D"), id, Doel,
            AccessOutcome.Allowed, cancellationToken);
        Passport = PassportBuilder.Build(row, time.Today(), await registries.ReadAsync(row, grant.Allows, cancellationToken));
        var editable = new List<EditableSection>();
        foreach (var name in PassportEndpoints.SectionNames.Where(grant.Allows))
        {
            if (SectionKinds.Find(name) is { } kind)
            {
                editable.Add(new EditableSection(kind, StatusOf(Passport.Sections, name),
                    await editor.ListAsync(kind, id, cancellationToken)));
            }
        }

        Editable = editable;
        OtherSections = [.. PassportEndpoints.SectionNames.Where(name => grant.Allows(name) && SectionKinds.Find(name) is null)
            .Select(name => new SectionSummary(name, StatusOf(Passport.Sections, name), SectionKinds.WhyNotEditable(name)!))];
        var owned = grant.Sections.ToList();
        Attachments = await db.OwnerDocuments.AsNoTracking()
            .Where(d => d.DwellingId == id && d.Section != null && owned.Contains(d.Section))
            .OrderByDescending(d => d.UploadedAt)
            .ToListAsync(cancellationToken);
        var agency = ReportQueue.AgencyOf(Editor);
        OpenReports = await db.DataReports.CountAsync(r => r.DwellingId == id && r.Agency == agency
            && r.Status == DataReportStatus.Open, cancellationToken);
        return Page();
    }

    public static string StatusText(SectionStatus status) => status switch
    {
        SectionStatus.Valid => "geldig",
        SectionStatus.Expiring => "verloopt binnenkort",
        SectionStatus.Expired => "verlopen",
        SectionStatus.Missing => "ontbreekt",
        SectionStatus.NotRequired => "niet vereist",
        _ => status.ToString(),
    };

    private static SectionStatus StatusOf(PassportSections sections, string name) => name switch
    {
        "renovation" => sections.Renovation.Status,
        "asbestos" => sections.Asbestos.Status,
        "soil" => sections.Soil.Status,
        "flood" => sections.Flood.Status,
        "permits" => sections.Permits.Status,
        "conformity" => sections.Conformity.Status,
        "installations" => sections.Installations.Status,
        "documents" => sections.Documents.Status,
        _ => sections.Epc.Status,
    };
}
