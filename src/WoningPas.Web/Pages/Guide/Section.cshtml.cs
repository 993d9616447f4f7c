using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using WoningPas.Web.Localization;

namespace WoningPas.Web.Pages.Guide;

/// <summary>One passport section explained; an unknown slug (or a slug of the other language) is a 404.</summary>
public sealed class SectionModel : PageModel
{
    public SiteLanguage Language { get; private set; }

    public SectionGuide? Guide { get; private set; }

    public IActionResult OnGet(string slug)
    {
        Language = SiteLanguages.Of(HttpContext);
        Guide = SectionGuides.Find(slug, Language);
        return Guide is null ? NotFound() : Page();
    }
}
