using WoningPas.Web.Localization;

namespace WoningPas.Web.Routing;

/// <summary>
/// Paths the site no longer serves a page at, answered with a permanent redirect to where the page is now. Share links
/// handed out before the share page moved point at <c>/woningpas/gedeeld#share=…</c>: browsers keep the fragment across
/// a redirect that names none, so those links keep working without the token ever reaching a server.
/// </summary>
public static class RetiredPaths
{
    public static IReadOnlyDictionary<string, string> All { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["/woningpas/gedeeld"] = SitePages.Shared.Dutch,
    };

    public static IEndpointRouteBuilder MapRetiredPaths(this IEndpointRouteBuilder routes)
    {
        foreach (var (from, to) in All)
        {
            routes.MapMethods(from, [HttpMethods.Get, HttpMethods.Head], () => TypedResults.Redirect(to, permanent: true));
        }

        return routes;
    }
}
