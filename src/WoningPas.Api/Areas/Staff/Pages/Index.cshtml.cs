using Microsoft.AspNetCore.Mvc;
using WoningPas.Api.Staff;

namespace WoningPas.Api.Areas.Staff.Pages;

/// <summary>
/// The search. A POST, never a GET: an INSZ must not end up in a URL, a browser history or a request log. The purpose
/// is checked with the query (<see cref="StaffPurpose"/>) and logged with every dwelling found, never the INSZ.
/// </summary>
public sealed class IndexModel(DwellingSearch search) : StaffPageModel
{
    [BindProperty]
    public string? Query { get; set; }

    [BindProperty]
    public string? Purpose { get; set; }

    public SearchOutcome? Outcome { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Errors = DwellingSearch.Validate(Query, Purpose);
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        Purpose = Purpose!.Trim();
        Outcome = await search.SearchAsync(Editor, Query!, Purpose, cancellationToken);
        // The page echoes what was typed; an INSZ is not repeated back into the page's HTML.
        if (Outcome.Kind == SearchKind.Insz)
        {
            Query = null;
        }

        return Page();
    }
}
