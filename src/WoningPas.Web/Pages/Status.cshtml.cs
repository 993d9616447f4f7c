using Microsoft.AspNetCore.Mvc.RazorPages;

namespace WoningPas.Web.Pages;

/// <summary>
/// The page for an error status: re-executed for an unknown path (404) and after an unhandled exception (500). Asked
/// for directly it answers with the status it names, so it can never be a 200 that the CDN keeps as a page.
/// </summary>
public sealed class StatusModel : PageModel
{
    public int Code { get; private set; }

    public bool IsNotFound => Code == StatusCodes.Status404NotFound;

    public void OnGet(int code)
    {
        Code = code is >= 400 and <= 599 ? code : StatusCodes.Status404NotFound;
        Response.StatusCode = Code;
    }
}
