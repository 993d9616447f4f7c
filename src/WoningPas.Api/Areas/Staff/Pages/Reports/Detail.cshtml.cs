using Microsoft.AspNetCore.Mvc;
using WoningPas.Api.Reports;
using WoningPas.Api.Staff;
using WoningPas.Data.BackOffice;

namespace WoningPas.Api.Areas.Staff.Pages.Reports;

/// <summary>One report of the agency's queue, resolved or rejected with an answer the citizen reads.</summary>
public sealed class DetailModel(ReportQueue queue) : StaffPageModel
{
    public QueuedReport? Report { get; private set; }

    [BindProperty]
    public string? Decision { get; set; }

    [BindProperty]
    public string? Answer { get; set; }

    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid reportId, CancellationToken cancellationToken)
    {
        Report = await queue.FindAsync(Editor, reportId, cancellationToken);
        return Report is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid reportId, CancellationToken cancellationToken)
    {
        var status = Decision switch
        {
            "Resolved" => DataReportStatus.Resolved,
            "Rejected" => DataReportStatus.Rejected,
            _ => (DataReportStatus?)null,
        };
        var answer = Answer?.Trim() ?? "";
        if (status is null)
        {
            Errors["status"] = ["Kies of de melding opgelost of afgewezen is."];
        }

        if (answer.Length < ReportQueue.MinAnswerLength || answer.Length > ReportQueue.MaxAnswerLength)
        {
            Errors["answer"] = [$"Schrijf een antwoord van {ReportQueue.MinAnswerLength} tot {ReportQueue.MaxAnswerLength} tekens."];
        }

        if (Errors.Count == 0)
        {
            switch (await queue.AnswerAsync(Editor, reportId, status!.Value, answer, cancellationToken))
            {
                case AnswerOutcome.Answered:
                    Message = "Uw antwoord is verstuurd.";
                    break;
                case AnswerOutcome.AlreadyAnswered:
                    Message = "Een collega heeft deze melding intussen al behandeld; uw antwoord is niet verstuurd.";
                    Response.StatusCode = StatusCodes.Status409Conflict;
                    break;
                default:
                    return NotFound();
            }
        }
        else
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        Report = await queue.FindAsync(Editor, reportId, cancellationToken);
        return Report is null ? NotFound() : Page();
    }

    public static string StatusText(DataReportStatus status) => status switch
    {
        DataReportStatus.Open => "open",
        DataReportStatus.Resolved => "opgelost",
        DataReportStatus.Rejected => "afgewezen",
        _ => status.ToString(),
    };
}
