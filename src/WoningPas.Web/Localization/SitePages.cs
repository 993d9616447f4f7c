namespace WoningPas.Web.Localization;

/// <summary>One public page in both languages: its Dutch and its English path.</summary>
public sealed record SitePage(string Key, string Dutch, string English)
{
    public string PathIn(SiteLanguage language) => language == SiteLanguage.English ? English : Dutch;
}

/// <summary>
/// Every public page and its path in both languages. The Dutch path is the page's own route (<c>@page</c>); the English
/// one is added as a second route, so that a page is one file whatever its language.
/// </summary>
public static class SitePages
{
    public static readonly SitePage Home = new("/Index", "/", "/en");
    public static readonly SitePage Passport = new("/Passport", "/woningpas", "/en/passport");
    public static readonly SitePage Guide = new("/Guide/Index", "/wat-staat-erin", "/en/what-it-contains");
    public static readonly SitePage Faq = new("/Faq", "/veelgestelde-vragen", "/en/faq");
    public static readonly SitePage Privacy = new("/Privacy", "/privacy", "/en/privacy");
    public static readonly SitePage Accessibility = new("/Accessibility", "/toegankelijkheid", "/en/accessibility");
    public static readonly SitePage Shared = new("/Shared", "/gedeeld", "/en/shared");
    public static readonly SitePage SignInHelp = new("/SignInHelp", "/hulp-bij-aanmelden", "/en/sign-in-help");

    /// <summary>The pages with a fixed path; the section pages of the guide come from <see cref="SectionGuides"/>.</summary>
    public static IReadOnlyList<SitePage> Fixed { get; } =
        [Home, Passport, Guide, Faq, Privacy, Accessibility, Shared, SignInHelp];

    /// <summary>The page that explains one passport section.</summary>
    public const string SectionPageKey = "/Guide/Section";

    /// <summary>The English section route: the Dutch one is in the page itself.</summary>
    public const string EnglishSectionRoute = "en/what-it-contains/{slug}";

    public static string SectionPath(SectionGuide guide, SiteLanguage language)
    {
        ArgumentNullException.ThrowIfNull(guide);
        return language == SiteLanguage.English
            ? $"{Guide.English}/{guide.EnglishSlug}"
            : $"{Guide.Dutch}/{guide.DutchSlug}";
    }

    /// <summary>Every public path, both languages: what the tests and the benchmark walk.</summary>
    public static IEnumerable<string> AllPaths() =>
        Fixed.SelectMany(p => new[] { p.Dutch, p.English })
            .Concat(SectionGuides.All.SelectMany(g => new[]
            {
                SectionPath(g, SiteLanguage.Dutch),
                SectionPath(g, SiteLanguage.English),
            }));

    public static IServiceCollection AddSitePageRoutes(this IServiceCollection services) =>
        services.Configure<Microsoft.AspNetCore.Mvc.RazorPages.RazorPagesOptions>(options =>
        {
            foreach (var page in Fixed)
            {
                options.Conventions.AddPageRoute(page.Key, page.English.TrimStart('/'));
            }

            options.Conventions.AddPageRoute(SectionPageKey, EnglishSectionRoute);
        });
}
