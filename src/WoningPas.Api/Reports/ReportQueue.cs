using Microsoft.EntityFrameworkCore;
using WoningPas.Api.AccessLog;
using WoningPas.Api.Account;
using WoningPas.Api.Dwellings;
using WoningPas.Data;
using WoningPas.Data.AccessLog;
using WoningPas.Data.BackOffice;
using WoningPas.Data.Sections;

namespace WoningPas.Api.Reports;

public sealed record QueuedReport(Guid Id, Guid DwellingId, string Address, string Section, string Comment,
    DateTimeOffset ReportedAt, DataReportStatus Status, string? Answer, DateTimeOffset? AnsweredAt);

public enum AnswerOutcome
{
    Answered,
    AlreadyAnswered,
    NotFound,
}

/// <summary>
/// An agency's queue of reports on the sections it owns. Staff of another agency never see a report (it answers as
/// unknown); reading one and answering one are access-logged against the dwelling.
/// </summary>
public sealed class ReportQueue(WoningPasDbContext db, AccessRecorder recorder, TimeProvider time)
{
    public const string Purpose = "data-report";
    public const int MinAnswerLength = 5;
    public const int MaxAnswerLength = 2000;

    public static SourceAgency? AgencyOf(Actor actor) => DwellingAuthorizer.AgencyOf(actor?.Organisation);

    public async Task<IReadOnlyList<QueuedReport>> OpenAsync(Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var agency = AgencyOf(actor);
        var reports = agency is null
            ? []
            : await Visible(agency.Value).Where(r => r.Status == DataReportStatus.Open)
                .OrderBy(r => r.ReportedAt).Take(200)
                .Select(r => new QueuedReport(r.Id, r.DwellingId, r.Dwelling.Address.Label, r.Section, r.Comment,
                    r.ReportedAt, r.Status, r.Answer, r.AnsweredAt))
                .ToListAsync(cancellationToken);
        foreach (var report in reports)
        {
            await recorder.RecordAsync(actor, AccessAction.Read, "data-report", report.Id.ToString("D"), report.DwellingId,
                Purpose, AccessOutcome.Allowed, cancellationToken);
        }

        return reports;
    }

    public async Task<QueuedReport?> FindAsync(Actor actor, Guid reportId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var agency = AgencyOf(actor);
        var report = agency is null
            ? null
            : await Visible(agency.Value).Where(r => r.Id == reportId)
                .Select(r => new QueuedReport(r.Id, r.DwellingId, r.Dwelling.Address.Label, r.Section, r.Comment,
                    r.ReportedAt, r.Status, r.Answer, r.AnsweredAt))
                .SingleOrDefaultAsync(cancellationToken);
        await recorder.RecordAsync(actor, AccessAction.Read, "data-report", reportId.ToString("D"), report?.DwellingId,
            Purpose, report is null ? AccessOutcome.Denied : AccessOutcome.Allowed, cancellationToken);
        return report;
    }

    /// <summary>Only an open report is answered: two colleagues answering at once cannot overwrite each other.</summary>
    public async Task<AnswerOutcome> AnswerAsync(Actor actor, Guid reportId, DataReportStatus status, string answer,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (status == DataReportStatus.Open || AgencyOf(actor) is not { } agency)
        {
            return AnswerOutcome.NotFound;
        }

        var now = time.GetUtcNow();
        // The answer and its entry commit together: an answer the citizen reads is always on record.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var changed = await Visible(agency).Where(r => r.Id == reportId && r.Status == DataReportStatus.Open)
            .ExecuteUpdateAsync(set => set
                .SetProperty(r => r.Status, status)
                .SetProperty(r => r.Answer, answer)
                .SetProperty(r => r.AnsweredBy, actor.SubjectId)
                .SetProperty(r => r.AnsweredAt, now), cancellationToken);
        var dwellingId = await Visible(agency).Where(r => r.Id == reportId).Select(r => (Guid?)r.DwellingId)
            .SingleOrDefaultAsync(cancellationToken);
        await recorder.RecordInTransactionAsync(db, actor, AccessAction.Edit, "data-report", reportId.ToString("D"),
            dwellingId, Purpose, changed == 1 ? AccessOutcome.Allowed : AccessOutcome.Denied, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return changed == 1 ? AnswerOutcome.Answered
            : dwellingId is null ? AnswerOutcome.NotFound
            : AnswerOutcome.AlreadyAnswered;
    }

    private IQueryable<DataReport> Visible(SourceAgency agency) => db.DataReports.Where(r => r.Agency == agency);
}
