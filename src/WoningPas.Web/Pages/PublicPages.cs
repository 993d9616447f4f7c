using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.Extensions.WebEncoders;
using WoningPas.Web.Localization;

namespace WoningPas.Web.Pages;

/// <summary>The Razor Pages of the public site, and the pages that answer for an error status.</summary>
public static class PublicPages
{
    /// <summary>Where an error status without a body is re-executed; <c>{0}</c> is the status code.</summary>
    public const string StatusPathTemplate = "/fout/{0}";

    /// <summary>Where an unhandled exception is re-executed.</summary>
    public const string ErrorPath = "/fout/500";

    /// <summary>
    /// Razor Pages, and nothing that could make a page differ between visitors: no session, no antiforgery calls, and
    /// _ViewImports removes the form tag helpers so that no page can ever emit an antiforgery token (and its cookie).
    /// </summary>
    public static IServiceCollection AddPublicPages(this IServiceCollection services)
    {
        services.AddRazorPages();
        services.AddSitePageRoutes();
        // Dutch text as text: without this Razor writes "één" as numeric entities, which is valid but triples the bytes.
        services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        return services;
    }
}
