using WoningPas.Api.Reports;
using WoningPas.Api.Staff;

namespace WoningPas.Api.Areas.Staff.Pages.Reports;

public sealed class IndexModel(ReportQueue queue) : StaffPageModel
{
    public IReadOnlyList<QueuedReport> Reports { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Reports = await queue.OpenAsync(Editor, cancellationToken);
}
